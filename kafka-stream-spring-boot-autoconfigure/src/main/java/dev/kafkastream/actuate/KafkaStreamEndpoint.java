package dev.kafkastream.actuate;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.checkpoint.CheckpointState;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.OffsetReset;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineOperationException;
import dev.kafkastream.runtime.PipelineState;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code kafkastream} Actuator endpoint (web and JMX): every source with its state,
 * counts, partitions' offsets and lag and its sinks, and the checkpoints, as Flink's job
 * view shows them; {@code /kafkastream/{source}} for one source. Its write operations
 * take a checkpoint now, and pause, resume, reset or drain a source; each is refused,
 * with {@link InvalidEndpointRequestException}, when the source's state does not allow
 * it. It shows no configuration property, so no secret.
 */
@Endpoint(id = "kafkastream")
public class KafkaStreamEndpoint {

	/** How long a write operation waits for the workers before it answers. */
	static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(10);

	private final Supplier<KafkaStreamRuntime> runtime;

	private final KafkaStreamDescriber describer = new KafkaStreamDescriber();

	public KafkaStreamEndpoint(Supplier<KafkaStreamRuntime> runtime) {
		this.runtime = runtime;
	}

	@ReadOperation
	public KafkaStreamDescriptor kafkaStream() {
		return this.describer.describe(this.runtime.get());
	}

	@ReadOperation
	public @Nullable SourceDescriptor source(@Selector String source) {
		return this.runtime.get().pipeline(source).map(this.describer::describe).orElse(null);
	}

	/**
	 * Triggers a checkpoint now, after the one in progress if there is one.
	 * @return the checkpoint, finished if it finished within {@link #OPERATION_TIMEOUT}
	 */
	@WriteOperation
	public CheckpointDescriptor triggerCheckpoint() {
		KafkaStreamRuntime runtime = this.runtime.get();
		CompletableFuture<@Nullable CheckpointRecord> checkpoint = refusable(runtime::triggerCheckpoint);
		CheckpointRecord record = await(checkpoint).result();
		if (record == null) {
			record = runtime.checkpoints().inProgress().orElse(null);
		}
		if (record == null) {
			throw new InvalidEndpointRequestException("No checkpoint was taken: nothing takes part in checkpoints",
					"No checkpoint was taken");
		}
		return KafkaStreamDescriber.describe(record);
	}

	/**
	 * Pauses, resumes, resets or drains a source.
	 * @param source the source
	 * @param operation {@code pause}, {@code resume}, {@code reset} or {@code drain}
	 * @param to where a reset moves the partitions: {@code earliest}, {@code latest},
	 * {@code timestamp} or {@code offsets}
	 * @param timestamp the timestamp of a reset {@code to} {@code timestamp}, in epoch
	 * milliseconds or as an ISO-8601 instant
	 * @param offsets the offsets of a reset {@code to} {@code offsets}, as
	 * {@code topic-partition=offset} pairs separated by commas
	 * @return what the operation did
	 */
	@WriteOperation
	public SourceOperationDescriptor controlSource(@Selector String source, String operation, @Nullable String to,
			@Nullable String timestamp, @Nullable String offsets) {
		Pipeline pipeline = this.runtime.get()
			.pipeline(source)
			.orElseThrow(() -> new InvalidEndpointRequestException("No source named '" + source + "'",
					"No source named '" + source + "'"));
		String name = operation.toLowerCase(Locale.ROOT);
		return switch (name) {
			case "pause" -> done(pipeline, name, await(refusable(pipeline::pause)), null, null);
			case "resume" -> done(pipeline, name, await(refusable(pipeline::resume)), null, null);
			case "drain" -> {
				Outcome<@Nullable CheckpointRecord> drained = await(refusable(pipeline::drain));
				yield done(pipeline, name, drained, null, drained.result());
			}
			case "reset" -> {
				OffsetReset reset = offsetReset(to, timestamp, offsets);
				Outcome<OffsetReset.Result> result = await(refusable(() -> pipeline.reset(reset)));
				OffsetReset.Result done = result.result();
				yield done(pipeline, name, result,
						(done != null) ? KafkaStreamDescriber.byPartitionName(done.offsets()) : null,
						(done != null) ? done.checkpoint() : null);
			}
			default -> throw invalid("Unknown operation '" + operation + "': use pause, resume, reset or drain");
		};
	}

	private static SourceOperationDescriptor done(Pipeline pipeline, String operation, Outcome<?> outcome,
			@Nullable Map<String, Long> offsets, @Nullable CheckpointRecord checkpoint) {
		String failure = outcome.failure();
		if (failure == null && checkpoint != null && checkpoint.state() == CheckpointState.FAILED) {
			failure = "checkpoint " + checkpoint.id() + " failed: " + checkpoint.failure();
		}
		return new SourceOperationDescriptor(pipeline.name(), operation, outcome.completed(), pipeline.state(),
				offsets, (checkpoint != null) ? KafkaStreamDescriber.describe(checkpoint) : null, failure);
	}

	private static OffsetReset offsetReset(@Nullable String to, @Nullable String timestamp,
			@Nullable String offsets) {
		if (to == null) {
			throw invalid("A reset needs 'to': earliest, latest, timestamp or offsets");
		}
		return switch (to.toLowerCase(Locale.ROOT)) {
			case "earliest" -> OffsetReset.earliest();
			case "latest" -> OffsetReset.latest();
			case "timestamp" -> OffsetReset.timestamp(epochMillis(timestamp));
			case "offsets" -> OffsetReset.offsets(partitionOffsets(offsets));
			default -> throw invalid("Unknown reset target '" + to + "': use earliest, latest, timestamp or offsets");
		};
	}

	private static long epochMillis(@Nullable String timestamp) {
		if (timestamp == null) {
			throw invalid("A reset to a timestamp needs 'timestamp': epoch milliseconds or an ISO-8601 instant");
		}
		try {
			return Long.parseLong(timestamp.trim());
		}
		catch (NumberFormatException ex) {
			try {
				return Instant.parse(timestamp.trim()).toEpochMilli();
			}
			catch (DateTimeParseException notAnInstant) {
				throw invalid("Invalid timestamp '" + timestamp + "': use epoch milliseconds or an ISO-8601 instant");
			}
		}
	}

	private static Map<TopicPartition, Long> partitionOffsets(@Nullable String offsets) {
		if (offsets == null || offsets.isBlank()) {
			throw invalid("A reset to offsets needs 'offsets': topic-partition=offset pairs separated by commas");
		}
		Map<TopicPartition, Long> parsed = new HashMap<>();
		for (String pair : offsets.split(",")) {
			int equals = pair.indexOf('=');
			int dash = pair.lastIndexOf('-', (equals >= 0) ? equals : pair.length());
			try {
				TopicPartition partition = new TopicPartition(pair.substring(0, dash).trim(),
						Integer.parseInt(pair.substring(dash + 1, equals).trim()));
				long offset = Long.parseLong(pair.substring(equals + 1).trim());
				if (offset < 0 || partition.partition() < 0) {
					throw new NumberFormatException();
				}
				parsed.put(partition, offset);
			}
			catch (IndexOutOfBoundsException | NumberFormatException ex) {
				throw invalid("Invalid offset '" + pair.trim() + "': use topic-partition=offset, such as orders-0=42");
			}
		}
		return parsed;
	}

	private static InvalidEndpointRequestException invalid(String message) {
		return new InvalidEndpointRequestException(message, message);
	}

	private static <T> CompletableFuture<T> refusable(Supplier<CompletableFuture<T>> operation) {
		try {
			return operation.get();
		}
		catch (PipelineOperationException ex) {
			throw invalid(ex.getMessage());
		}
	}

	private static <T> Outcome<T> await(CompletableFuture<T> future) {
		try {
			return new Outcome<>(true, future.get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), null);
		}
		catch (TimeoutException ex) {
			return new Outcome<>(false, null, null);
		}
		catch (ExecutionException | CompletionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			return new Outcome<>(true, null, cause.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Outcome<>(false, null, null);
		}
	}

	private record Outcome<T>(boolean completed, @Nullable T result, @Nullable String failure) {

	}

	/**
	 * What the endpoint returns.
	 *
	 * @param running whether the pipelines were started and not stopped
	 * @param sources the sources (one pipeline each), by name
	 * @param checkpoints the checkpoints
	 * @param lingeringTransactions transactions with the application's transactional ids
	 * that other instances, or workers no longer running, kept open for longer than a
	 * checkpoint interval, blocking {@code read_committed} readers until this instance
	 * aborts them
	 */
	public record KafkaStreamDescriptor(boolean running, Map<String, SourceDescriptor> sources,
			CheckpointsDescriptor checkpoints,
			List<LingeringTransactionDescriptor> lingeringTransactions) implements OperationResponseBody {

	}

	/**
	 * A transaction another instance left open.
	 *
	 * @param transactionalId the producer's transactional id
	 * @param producerId the producer id
	 * @param started when it began
	 * @param ageMillis how long it has been open
	 * @param abortAfter when this instance aborts it, unless its producer finishes it first
	 * @param partitions the partitions it wrote to, {@code topic-partition}
	 */
	public record LingeringTransactionDescriptor(String transactionalId, long producerId, Instant started,
			long ageMillis, Instant abortAfter, List<String> partitions) {

	}

	/**
	 * One source: the pipeline that reads it, its partitions and its sinks.
	 *
	 * @param state the state
	 * @param failure why it failed, if it did
	 * @param groupId its consumer group
	 * @param subscription what it reads
	 * @param startingOffsets where partitions without a checkpoint start
	 * @param stoppingOffsets where a bounded source stops, if it does
	 * @param deliveryGuarantee the delivery guarantee of its sinks
	 * @param recordsIn records read since the pipeline started
	 * @param recordsPerSecond records read per second over about the last minute of
	 * reads of this endpoint, {@code null} until it was read twice a second apart
	 * @param bytesIn their serialised key and value bytes
	 * @param deserializationErrors records whose key or value could not be deserialised
	 * @param deadLettered records sent to the dead-letter topic
	 * @param skipped records skipped: not deserialisable, or the handler still failed on
	 * them after its retries
	 * @param handlerRetries calls of the handler retrying a record it threw on
	 * @param lag records still to read in every partition, {@code null} while an end
	 * offset or a position is unknown
	 * @param endOffsets when the end offsets the lag is computed from were looked up
	 * @param partitions its partitions, by {@code topic-partition}
	 * @param sinks its sinks, by name
	 * @param workers its workers
	 */
	public record SourceDescriptor(PipelineState state, @Nullable String failure, String groupId,
			String subscription, String startingOffsets, @Nullable String stoppingOffsets, String deliveryGuarantee,
			long recordsIn, @Nullable Double recordsPerSecond, long bytesIn, long deserializationErrors,
			long deadLettered, long skipped, long handlerRetries, @Nullable Long lag, EndOffsetsDescriptor endOffsets,
			Map<String, PartitionDescriptor> partitions, Map<String, SinkDescriptor> sinks,
			List<WorkerDescriptor> workers) implements OperationResponseBody {

	}

	/**
	 * When the end offsets were looked up, in the background: reading them never waits
	 * on the broker.
	 *
	 * @param refreshed when they were last looked up successfully
	 * @param ageMillis how long ago that was
	 * @param stale whether the last lookup failed or none succeeded yet
	 * @param failure why the last lookup failed
	 */
	public record EndOffsetsDescriptor(@Nullable Instant refreshed, @Nullable Long ageMillis, boolean stale,
			@Nullable String failure) {

	}

	/**
	 * One partition of a source.
	 *
	 * @param worker the worker it is assigned to
	 * @param currentOffset the next offset to handle
	 * @param committedOffset the offset of its last checkpoint
	 * @param committedBy the id of the checkpoint that committed it
	 * @param endOffset its end offset (the last stable offset under
	 * {@code read_committed})
	 * @param lag records still to read
	 * @param stoppingOffset where a bounded source stops reading it
	 * @param lastRecordTime when a record of it was last handled
	 * @param millisSinceLastRecord how long ago that was
	 * @param lastRecordTimestamp the timestamp (event time) of that record
	 */
	public record PartitionDescriptor(String worker, @Nullable Long currentOffset, @Nullable Long committedOffset,
			@Nullable Long committedBy, @Nullable Long endOffset, @Nullable Long lag, @Nullable Long stoppingOffset,
			@Nullable Instant lastRecordTime, @Nullable Long millisSinceLastRecord,
			@Nullable Instant lastRecordTimestamp) {

	}

	/**
	 * One sink of a source. A pipeline's sinks share one producer per worker: failed
	 * sends and open transactions are those of these producers.
	 *
	 * @param topic the topic, {@code null} when a topic selector chooses it per record
	 * @param deliveryGuarantee the delivery guarantee
	 * @param transactionalIdPrefix the transactional id prefix, for exactly-once
	 * @param recordsOut records this source's workers handed to the producer for it
	 * @param bytesOut their serialised key and value bytes
	 * @param lastSend when the last of them was handed over
	 * @param failedSends sends the producers reported as failed
	 * @param openTransactions the producers' open transactions
	 */
	public record SinkDescriptor(@Nullable String topic, String deliveryGuarantee,
			@Nullable String transactionalIdPrefix, long recordsOut, long bytesOut, @Nullable Instant lastSend,
			long failedSends, List<TransactionDescriptor> openTransactions) {

	}

	/**
	 * An open transaction of a worker's producer.
	 *
	 * @param worker the worker
	 * @param started when it began
	 * @param ageMillis how long it has been open
	 */
	public record TransactionDescriptor(String worker, Instant started, long ageMillis) {

	}

	/**
	 * One worker of a source.
	 *
	 * @param name the worker's (and its thread's) name
	 * @param ready whether it joined its group and positioned the partitions it was given
	 * @param recordsIn records it read
	 * @param consecutiveFailures failures since it last committed progress
	 * @param lastFailure its last failure since then
	 */
	public record WorkerDescriptor(String name, boolean ready, long recordsIn, int consecutiveFailures,
			@Nullable String lastFailure) {

	}

	/**
	 * Checkpoint configuration, statistics and history.
	 *
	 * @param interval the checkpoint interval
	 * @param timeout how long a checkpoint may take
	 * @param counts checkpoints by outcome since start
	 * @param latestCompleted the last completed checkpoint
	 * @param inProgress the checkpoint in progress
	 * @param lastFailed the last failed checkpoint
	 * @param history recent checkpoints, newest first
	 */
	public record CheckpointsDescriptor(Duration interval, Duration timeout, CheckpointCountsDescriptor counts,
			@Nullable CheckpointDescriptor latestCompleted, @Nullable CheckpointDescriptor inProgress,
			@Nullable CheckpointDescriptor lastFailed, List<CheckpointDescriptor> history) {

	}

	/**
	 * Checkpoints by outcome.
	 *
	 * @param completed completed since start
	 * @param failed failed since start
	 * @param inProgress in progress now
	 * @param consecutiveFailures failed since the last completed one
	 */
	public record CheckpointCountsDescriptor(long completed, long failed, int inProgress, int consecutiveFailures) {

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
			@Nullable Long durationMillis, Map<String, Long> offsets, @Nullable String failure)
			implements OperationResponseBody {

	}

	/**
	 * What a write operation on a source did.
	 *
	 * @param source the source
	 * @param operation the operation
	 * @param completed whether every worker did its part within the operation timeout (10
	 * seconds); if not, they still do it
	 * @param state the source's state now
	 * @param offsets where a reset moved the partitions, by {@code topic-partition}
	 * @param checkpoint the checkpoint that committed a reset, or the last one of a drain
	 * @param failure why it failed, if it did
	 */
	public record SourceOperationDescriptor(String source, String operation, boolean completed, PipelineState state,
			@Nullable Map<String, Long> offsets, @Nullable CheckpointDescriptor checkpoint, @Nullable String failure)
			implements OperationResponseBody {

	}

}
