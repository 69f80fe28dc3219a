package dev.kafkastream.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.checkpoint.CheckpointState;
import dev.kafkastream.runtime.EndOffsets;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.runtime.WorkerStatus;
import dev.kafkastream.runtime.WorkerStatus.PartitionStatus;
import dev.kafkastream.runtime.WorkerStatus.RecordCounts;
import dev.kafkastream.sink.KafkaSinkSpec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of a kafka-stream runtime, named {@code kafka.stream.*} with Flink's
 * Kafka connector metrics' meanings: records and bytes in and out, handler time,
 * deserialisation errors, dead letters, per partition the current and committed offsets,
 * pending records (lag) and emit event-time lag, the source's idle time and state, the
 * sinks' send time, and checkpoint counts and durations. Every meter reads the runtime's
 * snapshots when it is read, so the records' path pays nothing for them, and no meter
 * ever waits on the broker: lag comes from end offsets looked up in the background, and
 * is {@code NaN} once they are older than the given maximum age.
 * <p>
 * Meters of a partition come and go with the partitions the workers are given: they are
 * brought up to date every refresh interval, and whenever a pipeline changes its state.
 */
public class KafkaStreamMetrics implements MeterBinder, AutoCloseable {

	static final String PREFIX = "kafka.stream.";

	private static final String SECONDS = "seconds";

	private final KafkaStreamRuntime runtime;

	private final Tags tags;


	private final Duration refreshInterval;

	private final ProducerSendTimes sendTimes;

	private final List<PipelineSnapshot> snapshots;

	private final Map<String, Map<TopicPartition, List<Meter>>> partitionMeters = new HashMap<>();

	private @Nullable MeterRegistry registry;

	private @Nullable ScheduledExecutorService refresher;

	/**
	 * Creates the meters of a runtime.
	 * @param runtime the runtime
	 * @param tags tags added to every meter, such as {@code application}
	 * @param refreshInterval how often the meters of partitions are brought up to date
	 * @param sendTimes the send times of the runtime's producers
	 */
	public KafkaStreamMetrics(KafkaStreamRuntime runtime, Iterable<Tag> tags, Duration refreshInterval,
			ProducerSendTimes sendTimes) {
		this.runtime = runtime;
		this.tags = Tags.of(tags);
		this.refreshInterval = refreshInterval;
		this.sendTimes = sendTimes;
		this.snapshots = runtime.pipelines().stream().map(PipelineSnapshot::new).toList();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		synchronized (this) {
			if (this.registry != null) {
				throw new IllegalStateException("Already bound to a meter registry");
			}
			this.registry = registry;
		}
		for (PipelineSnapshot snapshot : this.snapshots) {
			bindSource(registry, snapshot);
		}
		bindSinks(registry);
		bindCheckpoints(registry, this.runtime.checkpoints());
		this.runtime.addStateListener((pipeline, previous, current) -> refreshPartitionMeters());
		refreshPartitionMeters();
		ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "kafka-stream-metrics");
			thread.setDaemon(true);
			return thread;
		});
		refresher.scheduleWithFixedDelay(this::refreshPartitionMeters, this.refreshInterval.toMillis(),
				this.refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
		synchronized (this) {
			this.refresher = refresher;
		}
	}

	private void bindSource(MeterRegistry registry, PipelineSnapshot snapshot) {
		Pipeline pipeline = snapshot.pipeline();
		Tags tags = this.tags.and("source", pipeline.name());
		sourceCounter(registry, "source.records.in", "Records read from the source (Flink: numRecordsIn)", tags,
				snapshot, RecordCounts::recordsIn);
		FunctionCounter.builder(PREFIX + "source.bytes.in", snapshot, (each) -> sum(each, RecordCounts::bytesIn))
			.description("Key and value bytes of the records read (Flink: numBytesIn)")
			.baseUnit(BaseUnits.BYTES)
			.tags(tags)
			.register(registry);
		sourceCounter(registry, "source.deserialization.errors",
				"Records whose key or value could not be deserialised", tags, snapshot,
				RecordCounts::deserializationErrors);
		sourceCounter(registry, "source.dead.letters", "Records sent to the dead-letter topic", tags, snapshot,
				RecordCounts::deadLetters);
		sourceCounter(registry, "source.records.skipped", "Records skipped, as they could not be deserialised",
				tags.and("reason", "deserialization"), snapshot, RecordCounts::skippedRecords);
		sourceCounter(registry, "source.records.skipped", "Records skipped, as the handler failed on them",
				tags.and("reason", "handler"), snapshot, RecordCounts::skippedOnHandlerError);
		sourceCounter(registry, "handler.retries", "Handler calls retrying a record it threw on", tags, snapshot,
				RecordCounts::handlerRetries);
		FunctionTimer
			.builder(PREFIX + "handler.duration", snapshot, (each) -> sum(each, RecordCounts::handlerCalls),
					(each) -> sum(each, RecordCounts::handlerNanos), TimeUnit.NANOSECONDS)
			.description("Time spent in the handler")
			.tags(tags)
			.register(registry);
		gauge(registry, "source.idle.time", "Time since the source last handled a record (Flink: sourceIdleTime)",
				tags, SECONDS, snapshot, this::idleSeconds);
		gauge(registry, "source.end.offsets.age",
				"Time since the end offsets that lag is computed from were looked up; NaN before the first lookup",
				tags, SECONDS, snapshot, (each) -> ageSeconds(each.endOffsets().refreshed()));
		for (PipelineState state : PipelineState.values()) {
			gauge(registry, "source.state", "1 for the source's current state, 0 for the others",
					tags.and("state", state.name()), null, pipeline, (each) -> (each.state() == state) ? 1 : 0);
		}
		KafkaSinkSpec producerSink = pipeline.spec().producerSink();
		if (producerSink != null) {
			Tags sinkTags = tags.and("sink", producerSink.name());
			gauge(registry, "sink.send.time",
					"Average time of the produce requests of the source's producers (Flink: currentSendTime)",
					sinkTags, SECONDS, pipeline,
					(each) -> this.sendTimes.sendTimeMillis(each.sinkProducerClientIds()) / 1000);
			FunctionCounter
				.builder(PREFIX + "sink.send.errors", snapshot,
						(each) -> each.workers().stream().mapToLong(WorkerStatus::failedSends).sum())
				.description("Sends the producers reported as failed (Flink: numRecordsOutErrors)")
				.tags(sinkTags)
				.register(registry);
		}
	}

	private static void sourceCounter(MeterRegistry registry, String name, String description, Tags tags,
			PipelineSnapshot snapshot, ToLongFunction<RecordCounts> count) {
		FunctionCounter.builder(PREFIX + name, snapshot, (each) -> sum(each, count))
			.description(description)
			.tags(tags)
			.register(registry);
	}

	private static long sum(PipelineSnapshot snapshot, ToLongFunction<RecordCounts> count) {
		return snapshot.workers().stream().mapToLong((worker) -> count.applyAsLong(worker.records())).sum();
	}

	private void bindSinks(MeterRegistry registry) {
		Set<String> sinks = new LinkedHashSet<>();
		this.runtime.pipelines().forEach((pipeline) -> pipeline.spec().sinks().forEach((sink) -> sinks.add(sink.name())));
		for (String sink : sinks) {
			Tags tags = this.tags.and("sink", sink);
			FunctionCounter.builder(PREFIX + "sink.records.out", this, (each) -> each.sinkSum(sink, true))
				.description("Records handed to the sink's producer (Flink: numRecordsOut)")
				.tags(tags)
				.register(registry);
			FunctionCounter.builder(PREFIX + "sink.bytes.out", this, (each) -> each.sinkSum(sink, false))
				.description("Key and value bytes of the records handed to the sink's producer (Flink: numBytesOut)")
				.baseUnit(BaseUnits.BYTES)
				.tags(tags)
				.register(registry);
		}
	}

	private double sinkSum(String sink, boolean records) {
		long sum = 0;
		for (PipelineSnapshot snapshot : this.snapshots) {
			for (WorkerStatus worker : snapshot.workers()) {
				for (WorkerStatus.SinkCounts counts : worker.sinks()) {
					if (counts.sink().equals(sink)) {
						sum += records ? counts.recordsOut() : counts.bytesOut();
					}
				}
			}
		}
		return sum;
	}

	private void bindCheckpoints(MeterRegistry registry, CheckpointCoordinator coordinator) {
		FunctionCounter.builder(PREFIX + "checkpoints", coordinator, (each) -> each.counts().completed())
			.description("Checkpoints since start, by outcome (Flink: numberOfCompletedCheckpoints, commitsSucceeded)")
			.tags(this.tags.and("outcome", "completed"))
			.register(registry);
		FunctionCounter.builder(PREFIX + "checkpoints", coordinator, (each) -> each.counts().failed())
			.description("Checkpoints since start, by outcome (Flink: numberOfFailedCheckpoints, commitsFailed)")
			.tags(this.tags.and("outcome", "failed"))
			.register(registry);
		gauge(registry, "checkpoints.in.progress", "Checkpoints in progress", this.tags, null, coordinator,
				(each) -> each.counts().inProgress());
		gauge(registry, "checkpoint.last.completed.age", "Time since the last completed checkpoint was triggered",
				this.tags, SECONDS, coordinator,
				(each) -> ageSeconds(each.latestCompleted().map(CheckpointRecord::triggerTime).orElse(null)));
		Map<CheckpointState, Timer> durations = new HashMap<>();
		for (CheckpointState outcome : List.of(CheckpointState.COMPLETED, CheckpointState.FAILED)) {
			durations.put(outcome, Timer.builder(PREFIX + "checkpoint.duration")
				.description("Time from a checkpoint's trigger to its completion or failure")
				.tags(this.tags.and("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)))
				.register(registry));
		}
		coordinator.addListener((checkpoint) -> {
			Timer timer = durations.get(checkpoint.state());
			Duration duration = checkpoint.duration();
			if (timer != null && duration != null) {
				timer.record(duration);
			}
		});
	}

	/**
	 * Registers the meters of partitions the workers were given since the last refresh,
	 * and removes those of partitions they no longer have.
	 */
	synchronized void refreshPartitionMeters() {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		for (PipelineSnapshot snapshot : this.snapshots) {
			Map<TopicPartition, List<Meter>> meters = this.partitionMeters
				.computeIfAbsent(snapshot.pipeline().name(), (name) -> new HashMap<>());
			Set<TopicPartition> partitions = snapshot.partitions().keySet();
			meters.entrySet().removeIf((entry) -> {
				if (partitions.contains(entry.getKey())) {
					return false;
				}
				entry.getValue().forEach(registry::remove);
				return true;
			});
			for (TopicPartition partition : partitions) {
				meters.computeIfAbsent(partition, (each) -> bindPartition(registry, snapshot, each));
			}
		}
	}

	private List<Meter> bindPartition(MeterRegistry registry, PipelineSnapshot snapshot, TopicPartition partition) {
		Tags tags = this.tags.and("source", snapshot.pipeline().name())
			.and("topic", partition.topic())
			.and("partition", String.valueOf(partition.partition()));
		List<Meter> meters = new ArrayList<>();
		meters.add(gauge(registry, "source.current.offset",
				"The next offset the source reads from the partition (Flink: currentOffsets)", tags, null, snapshot,
				(each) -> orNaN(position(each, partition))));
		meters.add(gauge(registry, "source.committed.offset",
				"The partition's offset committed by the last checkpoint (Flink: committedOffsets)", tags, null,
				snapshot, (each) -> {
					PartitionStatus status = each.partitions().get(partition);
					return orNaN((status != null) ? status.committed() : null);
				}));
		meters.add(gauge(registry, "source.pending.records",
				"Records of the partition not read yet (Flink: pendingRecords); NaN when the end offset is unknown or stale",
				tags, null, snapshot, (each) -> pendingRecords(each, partition)));
		meters.add(gauge(registry, "source.emit.event.time.lag",
				"Time from the timestamp of the partition's last handled record to its handling (Flink: currentEmitEventTimeLag)",
				tags, SECONDS, snapshot, (each) -> emitEventTimeLagSeconds(each, partition)));
		return meters;
	}

	private static @Nullable Long position(PipelineSnapshot snapshot, TopicPartition partition) {
		PartitionStatus status = snapshot.partitions().get(partition);
		return (status != null) ? status.position() : null;
	}

	private double pendingRecords(PipelineSnapshot snapshot, TopicPartition partition) {
		EndOffsets ends = snapshot.endOffsets();
		if (ends.isStale(Instant.now())) {
			return Double.NaN;
		}
		return orNaN(ends.lag(partition, position(snapshot, partition)));
	}

	private static double emitEventTimeLagSeconds(PipelineSnapshot snapshot, TopicPartition partition) {
		PartitionStatus status = snapshot.partitions().get(partition);
		if (status == null || status.lastRecordTime() == null || status.lastRecordTimestamp() == null
				|| status.lastRecordTimestamp() < 0) {
			return Double.NaN;
		}
		return (status.lastRecordTime().toEpochMilli() - status.lastRecordTimestamp()) / 1000.0;
	}

	private double idleSeconds(PipelineSnapshot snapshot) {
		return ageSeconds(snapshot.lastRecordTime());
	}

	private static double ageSeconds(@Nullable Instant since) {
		return (since != null) ? Duration.between(since, Instant.now()).toNanos() / 1e9 : Double.NaN;
	}

	private static double orNaN(@Nullable Long value) {
		return (value != null) ? value : Double.NaN;
	}

	private static <T> Gauge gauge(MeterRegistry registry, String name, String description, Tags tags,
			@Nullable String baseUnit, T state, ToDoubleFunction<T> value) {
		return Gauge.builder(PREFIX + name, state, value)
			.description(description)
			.tags(tags)
			.baseUnit(baseUnit)
			.strongReference(true)
			.register(registry);
	}

	/**
	 * Stops refreshing the meters of partitions. The meters stay in the registry, which
	 * closes with the application.
	 */
	@Override
	public void close() {
		ScheduledExecutorService refresher;
		synchronized (this) {
			refresher = this.refresher;
			this.refresher = null;
		}
		if (refresher != null) {
			refresher.shutdownNow();
		}
	}

}
