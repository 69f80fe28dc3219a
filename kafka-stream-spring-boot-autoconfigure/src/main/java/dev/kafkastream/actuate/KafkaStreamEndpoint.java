package dev.kafkastream.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.checkpoint.CheckpointState;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineSpec;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.runtime.WorkerStatus;
import dev.kafkastream.sink.KafkaSinkSpec;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code kafkastream} Actuator endpoint: the pipelines with their workers' partitions
 * and offsets, and the recent checkpoints.
 */
@Endpoint(id = "kafkastream")
public class KafkaStreamEndpoint {

	private final Supplier<KafkaStreamRuntime> runtime;

	public KafkaStreamEndpoint(Supplier<KafkaStreamRuntime> runtime) {
		this.runtime = runtime;
	}

	@ReadOperation
	public KafkaStreamDescriptor kafkaStream() {
		KafkaStreamRuntime runtime = this.runtime.get();
		List<PipelineDescriptor> pipelines = runtime.pipelines().stream().map(KafkaStreamEndpoint::describe).toList();
		return new KafkaStreamDescriptor(runtime.isRunning(), pipelines, describe(runtime.checkpoints()));
	}

	private static PipelineDescriptor describe(Pipeline pipeline) {
		PipelineSpec spec = pipeline.spec();
		KafkaSinkSpec sink = spec.sink();
		List<WorkerDescriptor> workers = pipeline.workers().stream().map(KafkaStreamEndpoint::describe).toList();
		return new PipelineDescriptor(pipeline.name(), pipeline.state(), pipeline.failure(),
				spec.deliveryGuarantee().name(), spec.source().subscription().toString(), spec.source().groupId(),
				(sink != null) ? sink.name() : null, (sink != null) ? sink.topic() : null,
				byPartitionName(pipeline.stoppingOffsets()), workers);
	}

	private static WorkerDescriptor describe(WorkerStatus worker) {
		Map<String, PartitionDescriptor> partitions = new TreeMap<>();
		worker.partitions()
			.forEach((partition, status) -> partitions.put(partition.toString(),
					new PartitionDescriptor(status.position(), status.committed())));
		WorkerStatus.RecordCounts records = worker.records();
		return new WorkerDescriptor(worker.name(), partitions, worker.consecutiveFailures(), worker.lastFailure(),
				records.skippedRecords(), records.deadLetters(), records.skippedOnHandlerError(),
				records.handlerRetries());
	}

	private static CheckpointsDescriptor describe(CheckpointCoordinator coordinator) {
		CheckpointCoordinator.CheckpointCounts counts = coordinator.counts();
		List<CheckpointDescriptor> history = coordinator.history().stream().map(KafkaStreamEndpoint::describe).toList();
		return new CheckpointsDescriptor(coordinator.settings().interval(), counts.completed(), counts.failed(),
				counts.consecutiveFailures(), history);
	}

	private static CheckpointDescriptor describe(CheckpointRecord record) {
		Duration duration = record.duration();
		return new CheckpointDescriptor(record.id(), record.state(), record.triggerTime(),
				(duration != null) ? duration.toMillis() : null, byPartitionName(record.offsets()), record.failure());
	}

	private static Map<String, Long> byPartitionName(Map<TopicPartition, Long> offsets) {
		Map<String, Long> byName = new TreeMap<>();
		offsets.forEach((partition, offset) -> byName.put(partition.toString(), offset));
		return byName;
	}

	/**
	 * What the endpoint returns.
	 *
	 * @param running whether the pipelines were started and not stopped
	 * @param pipelines the pipelines
	 * @param checkpoints the checkpoints
	 */
	public record KafkaStreamDescriptor(boolean running, List<PipelineDescriptor> pipelines,
			CheckpointsDescriptor checkpoints) implements OperationResponseBody {

	}

	/**
	 * One pipeline.
	 *
	 * @param name the pipeline's (and its source's) name
	 * @param state the state
	 * @param failure why it failed, if it did
	 * @param deliveryGuarantee the delivery guarantee
	 * @param subscription what the source reads
	 * @param groupId the source's consumer group
	 * @param sink the sink name, if any
	 * @param sinkTopic the sink topic, if any
	 * @param stoppingOffsets the stop offsets of a source with stopping offsets, by
	 * {@code topic-partition}
	 * @param workers the workers
	 */
	public record PipelineDescriptor(String name, PipelineState state, @Nullable String failure,
			String deliveryGuarantee, String subscription, String groupId, @Nullable String sink,
			@Nullable String sinkTopic, Map<String, Long> stoppingOffsets, List<WorkerDescriptor> workers) {

	}

	/**
	 * One worker.
	 *
	 * @param name the worker's (and its thread's) name
	 * @param partitions its partitions, by {@code topic-partition}
	 * @param consecutiveFailures failures since it last committed progress
	 * @param lastFailure its last failure since then
	 * @param skippedRecords records skipped because they could not be deserialised
	 * @param deadLetters records sent to the dead-letter topic, because they could not be
	 * deserialised or because the handler failed on them
	 * @param skippedOnHandlerError records skipped because the handler still failed on
	 * them after its retries
	 * @param handlerRetries calls of the handler retrying a record it threw on
	 */
	public record WorkerDescriptor(String name, Map<String, PartitionDescriptor> partitions,
			int consecutiveFailures, @Nullable String lastFailure, long skippedRecords, long deadLetters,
			long skippedOnHandlerError, long handlerRetries) {

	}

	/**
	 * One partition of a worker.
	 *
	 * @param position the next offset to handle
	 * @param committed the checkpointed offset
	 */
	public record PartitionDescriptor(@Nullable Long position, @Nullable Long committed) {

	}

	/**
	 * Checkpoint statistics and history.
	 *
	 * @param interval the checkpoint interval
	 * @param completed checkpoints completed since start
	 * @param failed checkpoints failed since start
	 * @param consecutiveFailures failures since the last completed checkpoint
	 * @param history recent checkpoints, newest first
	 */
	public record CheckpointsDescriptor(Duration interval, long completed, long failed, int consecutiveFailures,
			List<CheckpointDescriptor> history) {

	}

	/**
	 * One checkpoint.
	 *
	 * @param id the checkpoint id
	 * @param state the state
	 * @param triggerTime when it was triggered
	 * @param durationMillis how long it took, if finished
	 * @param offsets the committed offsets, by {@code topic-partition}
	 * @param failure why it failed, if it did
	 */
	public record CheckpointDescriptor(long id, CheckpointState state, Instant triggerTime,
			@Nullable Long durationMillis, Map<String, Long> offsets, @Nullable String failure) {

	}

}
