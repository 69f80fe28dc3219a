package dev.kafkastream.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.kafkastream.actuate.KafkaStreamEndpoint.CheckpointCountsDescriptor;
import dev.kafkastream.actuate.KafkaStreamEndpoint.CheckpointDescriptor;
import dev.kafkastream.actuate.KafkaStreamEndpoint.CheckpointsDescriptor;
import dev.kafkastream.actuate.KafkaStreamEndpoint.EndOffsetsDescriptor;
import dev.kafkastream.actuate.KafkaStreamEndpoint.KafkaStreamDescriptor;
import dev.kafkastream.actuate.KafkaStreamEndpoint.LingeringTransactionDescriptor;
import dev.kafkastream.actuate.KafkaStreamEndpoint.PartitionDescriptor;
import dev.kafkastream.actuate.KafkaStreamEndpoint.SinkDescriptor;
import dev.kafkastream.actuate.KafkaStreamEndpoint.SourceDescriptor;
import dev.kafkastream.actuate.KafkaStreamEndpoint.TransactionDescriptor;
import dev.kafkastream.actuate.KafkaStreamEndpoint.WorkerDescriptor;
import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.runtime.EndOffsets;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineSpec;
import dev.kafkastream.runtime.WorkerStatus;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link KafkaStreamEndpoint}'s descriptors from what the runtime keeps up to
 * date: no call here waits on the broker.
 */
final class KafkaStreamDescriber {

	private final RecordRates rates = new RecordRates();

	KafkaStreamDescriptor describe(KafkaStreamRuntime runtime) {
		Map<String, SourceDescriptor> sources = new LinkedHashMap<>();
		runtime.pipelines().forEach((pipeline) -> sources.put(pipeline.name(), describe(pipeline)));
		Instant now = Instant.now();
		List<LingeringTransactionDescriptor> lingering = runtime.lingeringTransactions()
			.stream()
			.map((transaction) -> new LingeringTransactionDescriptor(transaction.transactionalId(),
					transaction.producerId(), transaction.started(), transaction.openFor(now).toMillis(),
					transaction.abortAfter(), transaction.partitions()))
			.toList();
		return new KafkaStreamDescriptor(runtime.isRunning(), sources, describe(runtime.checkpoints()), lingering);
	}

	SourceDescriptor describe(Pipeline pipeline) {
		Instant now = Instant.now();
		PipelineSpec spec = pipeline.spec();
		KafkaSourceSpec source = spec.source();
		List<WorkerStatus> workers = pipeline.workers();
		EndOffsets ends = pipeline.endOffsets();
		Map<TopicPartition, Long> stops = pipeline.stoppingOffsets();
		Map<String, PartitionDescriptor> partitions = new TreeMap<>();
		long recordsIn = 0;
		long bytesIn = 0;
		long deserializationErrors = 0;
		long deadLettered = 0;
		long skipped = 0;
		long handlerRetries = 0;
		List<WorkerDescriptor> workerDescriptors = new ArrayList<>();
		for (WorkerStatus worker : workers) {
			WorkerStatus.RecordCounts records = worker.records();
			recordsIn += records.recordsIn();
			bytesIn += records.bytesIn();
			deserializationErrors += records.deserializationErrors();
			deadLettered += records.deadLetters();
			skipped += records.skippedRecords() + records.skippedOnHandlerError();
			handlerRetries += records.handlerRetries();
			workerDescriptors.add(new WorkerDescriptor(worker.name(), worker.ready(), records.recordsIn(),
					worker.consecutiveFailures(), worker.lastFailure()));
			worker.partitions()
				.forEach((partition, status) -> partitions.put(partition.toString(),
						describe(worker.name(), partition, status, ends, stops.get(partition), now)));
		}
		Long lag = partitions.isEmpty() ? null : 0L;
		for (PartitionDescriptor partition : partitions.values()) {
			lag = (lag != null && partition.lag() != null) ? lag + partition.lag() : null;
		}
		Double recordsPerSecond = this.rates.perSecond(pipeline.name(), recordsIn, System.nanoTime());
		return new SourceDescriptor(pipeline.state(), pipeline.failure(), source.groupId(),
				source.subscription().toString(), source.startingOffsets().toString(),
				(source.stoppingOffsets() != null) ? String.valueOf(source.stoppingOffsets()) : null,
				spec.deliveryGuarantee().name(), recordsIn, recordsPerSecond, bytesIn, deserializationErrors,
				deadLettered, skipped, handlerRetries, lag, describe(ends, now), partitions, describeSinks(spec, workers, now),
				workerDescriptors);
	}

	private static PartitionDescriptor describe(String worker, TopicPartition partition,
			WorkerStatus.PartitionStatus status, EndOffsets ends, @Nullable Long stop, Instant now) {
		Instant lastRecordTime = status.lastRecordTime();
		Long lastRecordTimestamp = status.lastRecordTimestamp();
		return new PartitionDescriptor(worker, status.position(), status.committed(), status.committedBy(),
				ends.offsets().get(partition), ends.lag(partition, status.position()), stop, lastRecordTime,
				(lastRecordTime != null) ? millisBetween(lastRecordTime, now) : null,
				(lastRecordTimestamp != null) ? Instant.ofEpochMilli(lastRecordTimestamp) : null);
	}

	private static EndOffsetsDescriptor describe(EndOffsets ends, Instant now) {
		Instant refreshed = ends.refreshed();
		return new EndOffsetsDescriptor(refreshed, (refreshed != null) ? millisBetween(refreshed, now) : null,
				ends.isStale(now), ends.failure());
	}

	private static Map<String, SinkDescriptor> describeSinks(PipelineSpec spec, List<WorkerStatus> workers,
			Instant now) {
		long failedSends = 0;
		List<TransactionDescriptor> transactions = new ArrayList<>();
		for (WorkerStatus worker : workers) {
			failedSends += worker.failedSends();
			Instant started = worker.transactionStart();
			if (started != null) {
				transactions.add(new TransactionDescriptor(worker.name(), started, millisBetween(started, now)));
			}
		}
		Map<String, SinkDescriptor> sinks = new LinkedHashMap<>();
		for (KafkaSinkSpec sink : spec.sinks()) {
			long recordsOut = 0;
			long bytesOut = 0;
			Instant lastSend = null;
			for (WorkerStatus worker : workers) {
				for (WorkerStatus.SinkCounts counts : worker.sinks()) {
					if (counts.sink().equals(sink.name())) {
						recordsOut += counts.recordsOut();
						bytesOut += counts.bytesOut();
						lastSend = latest(lastSend, counts.lastSend());
					}
				}
			}
			sinks.put(sink.name(), new SinkDescriptor(sink.topic(), sink.deliveryGuarantee().name(),
					sink.transactionalIdPrefix(), recordsOut, bytesOut, lastSend, failedSends, transactions));
		}
		return sinks;
	}

	private static @Nullable Instant latest(@Nullable Instant first, @Nullable Instant second) {
		if (first == null) {
			return second;
		}
		return (second != null && second.isAfter(first)) ? second : first;
	}

	private static long millisBetween(Instant earlier, Instant now) {
		return Math.max(0, Duration.between(earlier, now).toMillis());
	}

	private static CheckpointsDescriptor describe(CheckpointCoordinator coordinator) {
		CheckpointCoordinator.CheckpointCounts counts = coordinator.counts();
		return new CheckpointsDescriptor(coordinator.settings().interval(), coordinator.settings().timeout(),
				new CheckpointCountsDescriptor(counts.completed(), counts.failed(), counts.inProgress(),
						counts.consecutiveFailures()),
				coordinator.latestCompleted().map(KafkaStreamDescriber::describe).orElse(null),
				coordinator.inProgress().map(KafkaStreamDescriber::describe).orElse(null),
				coordinator.lastFailed().map(KafkaStreamDescriber::describe).orElse(null),
				coordinator.history().stream().map(KafkaStreamDescriber::describe).toList());
	}

	static CheckpointDescriptor describe(CheckpointRecord record) {
		Duration duration = record.duration();
		return new CheckpointDescriptor(record.id(), record.state(), record.triggerTime(),
				(duration != null) ? duration.toMillis() : null, byPartitionName(record.offsets()), record.failure());
	}

	static Map<String, Long> byPartitionName(Map<TopicPartition, Long> offsets) {
		Map<String, Long> byName = new TreeMap<>();
		offsets.forEach((partition, offset) -> byName.put(partition.toString(), offset));
		return byName;
	}

}
