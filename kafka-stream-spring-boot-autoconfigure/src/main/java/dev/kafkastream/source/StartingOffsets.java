package dev.kafkastream.source;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Where a source starts reading a partition that has no checkpoint (no committed offset
 * for the source's group). A partition with a checkpoint always resumes from it, so a
 * restart never replays or skips data.
 */
public interface StartingOffsets {

	/**
	 * Start at the earliest offset.
	 * @return the strategy
	 */
	static StartingOffsets earliest() {
		return new ResetStartingOffsets(OffsetResetStrategy.EARLIEST);
	}

	/**
	 * Start at the latest offset: only records written from now on are read.
	 * @return the strategy
	 */
	static StartingOffsets latest() {
		return new ResetStartingOffsets(OffsetResetStrategy.LATEST);
	}

	/**
	 * Start from the group's committed offsets, which every strategy does; a partition
	 * without one starts as the reset strategy says, or fails the source for
	 * {@link OffsetResetStrategy#NONE}.
	 * @param reset where partitions without a committed offset start
	 * @return the strategy
	 */
	static StartingOffsets committed(OffsetResetStrategy reset) {
		return new ResetStartingOffsets(reset);
	}

	/**
	 * Start at the first record whose timestamp is at or after the given one; a partition
	 * with no such record starts at its end.
	 * @param epochMillis the timestamp
	 * @return the strategy
	 */
	static StartingOffsets timestamp(long epochMillis) {
		return new TimestampStartingOffsets(epochMillis);
	}

	/**
	 * Start at given offsets; partitions not listed start as the reset strategy says.
	 * @param offsets the offsets
	 * @param reset where partitions not listed start
	 * @return the strategy
	 */
	static StartingOffsets specific(Map<TopicPartition, Long> offsets, OffsetResetStrategy reset) {
		return new SpecificStartingOffsets(Map.copyOf(offsets), reset);
	}

	/**
	 * The start offsets of partitions that have no checkpoint.
	 * @param partitions the partitions
	 * @param lookup looks up offsets
	 * @return the offset to start at, for every partition
	 * @throws NoStartingOffsetException if a partition has nowhere to start
	 */
	Map<TopicPartition, Long> startOffsets(Collection<TopicPartition> partitions, OffsetsLookup lookup);

}
