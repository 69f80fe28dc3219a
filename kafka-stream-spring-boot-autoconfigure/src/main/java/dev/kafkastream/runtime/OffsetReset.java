package dev.kafkastream.runtime;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.source.OffsetsLookup;
import dev.kafkastream.source.StartingOffsets;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link Pipeline#reset(OffsetReset)} moves the partitions of a paused source: to
 * their earliest or latest offset, to the first record at or after a timestamp, or to
 * given offsets. Each worker moves the partitions assigned to it; the new offsets are
 * committed as a checkpoint.
 */
public final class OffsetReset {

	private final String description;

	private final Target target;

	private OffsetReset(String description, Target target) {
		this.description = description;
		this.target = target;
	}

	/**
	 * Moves every assigned partition to its earliest offset.
	 * @return the reset
	 */
	public static OffsetReset earliest() {
		return of("earliest", StartingOffsets.earliest());
	}

	/**
	 * Moves every assigned partition to its end: the records written so far are skipped.
	 * @return the reset
	 */
	public static OffsetReset latest() {
		return of("latest", StartingOffsets.latest());
	}

	/**
	 * Moves every assigned partition to its first record whose timestamp is at or after
	 * the given one, or to its end when there is none.
	 * @param epochMillis the timestamp
	 * @return the reset
	 */
	public static OffsetReset timestamp(long epochMillis) {
		return of("timestamp " + Instant.ofEpochMilli(epochMillis), StartingOffsets.timestamp(epochMillis));
	}

	/**
	 * Moves the listed partitions to the given offsets; partitions not listed stay where
	 * they are.
	 * @param offsets the offsets (the next offset to read), by partition
	 * @return the reset
	 */
	public static OffsetReset offsets(Map<TopicPartition, Long> offsets) {
		Map<TopicPartition, Long> listed = Map.copyOf(Objects.requireNonNull(offsets, "offsets"));
		return new OffsetReset("offsets " + listed, (partitions, lookup) -> {
			Map<TopicPartition, Long> targets = new HashMap<>();
			for (TopicPartition partition : partitions) {
				Long offset = listed.get(partition);
				if (offset != null) {
					targets.put(partition, offset);
				}
			}
			return targets;
		});
	}

	private static OffsetReset of(String description, StartingOffsets offsets) {
		return new OffsetReset(description, offsets::startOffsets);
	}

	/**
	 * The offsets to move the given partitions to.
	 * @param partitions the partitions assigned to a worker
	 * @param lookup looks offsets up with the worker's consumer
	 * @return the new offset of every partition that moves
	 */
	Map<TopicPartition, Long> targets(Collection<TopicPartition> partitions, OffsetsLookup lookup) {
		return partitions.isEmpty() ? Map.of() : this.target.offsets(partitions, lookup);
	}

	@Override
	public String toString() {
		return this.description;
	}

	@FunctionalInterface
	private interface Target {

		Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetsLookup lookup);

	}

	/**
	 * What a reset did.
	 *
	 * @param offsets the offset every partition was moved to
	 * @param checkpoint the checkpoint that committed them, {@code null} when none could
	 * be taken
	 */
	public record Result(Map<TopicPartition, Long> offsets, @Nullable CheckpointRecord checkpoint) {

		public Result {
			offsets = Map.copyOf(offsets);
		}

	}

}
