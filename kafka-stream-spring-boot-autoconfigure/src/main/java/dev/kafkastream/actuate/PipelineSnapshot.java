package dev.kafkastream.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.runtime.EndOffsets;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.WorkerStatus;
import dev.kafkastream.runtime.WorkerStatus.PartitionStatus;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The status of one pipeline's workers, taken at most every {@link #MAX_AGE_NANOS}: a
 * scrape reads many meters of the same pipeline, and they share one snapshot.
 */
final class PipelineSnapshot {

	private static final long MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	private final Pipeline pipeline;

	private volatile Taken taken = new Taken(List.of(), Map.of(), System.nanoTime() - 2 * MAX_AGE_NANOS);

	PipelineSnapshot(Pipeline pipeline) {
		this.pipeline = pipeline;
	}

	Pipeline pipeline() {
		return this.pipeline;
	}

	List<WorkerStatus> workers() {
		return current().workers;
	}

	Map<TopicPartition, PartitionStatus> partitions() {
		return current().partitions;
	}

	EndOffsets endOffsets() {
		return this.pipeline.endOffsets();
	}

	/**
	 * When the last record of any partition was handled.
	 * @return the time, {@code null} before the first record
	 */
	@Nullable Instant lastRecordTime() {
		Instant last = null;
		for (PartitionStatus status : partitions().values()) {
			Instant time = status.lastRecordTime();
			if (time != null && (last == null || time.isAfter(last))) {
				last = time;
			}
		}
		return last;
	}

	private Taken current() {
		Taken taken = this.taken;
		long now = System.nanoTime();
		if (now - taken.nanoTime > MAX_AGE_NANOS) {
			List<WorkerStatus> workers = this.pipeline.workers();
			taken = new Taken(workers, Map.copyOf(WorkerStatus.partitionsOf(workers)), now);
			this.taken = taken;
		}
		return taken;
	}

	private record Taken(List<WorkerStatus> workers, Map<TopicPartition, PartitionStatus> partitions, long nanoTime) {

	}

}
