package dev.kafkastream.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The end offsets of a pipeline's partitions as last looked up in the background: the
 * last stable offset for a source reading {@code read_committed}, the high watermark
 * otherwise. Reading them never waits on the broker; when the broker cannot be reached
 * they grow stale, and say so.
 *
 * @param offsets the end offset of every partition the workers were given when they
 * were last looked up
 * @param refreshed when they were last looked up successfully, {@code null} before
 * @param failure why the last lookup failed, {@code null} when it succeeded
 * @param maxAge how old they may grow before they are stale: three lookup intervals
 */
public record EndOffsets(Map<TopicPartition, Long> offsets, @Nullable Instant refreshed, @Nullable String failure,
		Duration maxAge) {

	static final EndOffsets NONE = new EndOffsets(Map.of(), null, null, Duration.ZERO);

	public EndOffsets {
		offsets = Map.copyOf(offsets);
	}

	/**
	 * How many records of a partition are still to be read from a position.
	 * @param partition the partition
	 * @param position the next offset to read, {@code null} when unknown
	 * @return the lag, {@code null} when the position or the end offset is unknown
	 */
	public @Nullable Long lag(TopicPartition partition, @Nullable Long position) {
		Long end = this.offsets.get(partition);
		return (end != null && position != null) ? Math.max(0, end - position) : null;
	}

	/**
	 * Whether the end offsets are too old to tell the lag: never looked up, or not since
	 * {@link #maxAge()}, as when the broker cannot be reached ({@link #failure()} says
	 * why).
	 * @param now the time now
	 * @return whether they are stale
	 */
	public boolean isStale(Instant now) {
		Instant refreshed = this.refreshed;
		return refreshed == null || refreshed.plus(this.maxAge).isBefore(now);
	}

}
