package dev.kafkastream.source;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Where a source stops reading each partition (the first offset it does not read). A
 * source whose partitions all reached their stop is finished when it is bounded.
 */
public interface StoppingOffsets {

	/**
	 * Stop at the end offsets found when the partition is first seen, normally at start.
	 * @return the strategy
	 */
	static StoppingOffsets latest() {
		return new LatestStoppingOffsets();
	}

	/**
	 * Stop at the first record whose timestamp is at or after the given one; a partition
	 * whose records are all older stops at its end.
	 * @param epochMillis the timestamp
	 * @return the strategy
	 */
	static StoppingOffsets timestamp(long epochMillis) {
		return new TimestampStoppingOffsets(epochMillis);
	}

	/**
	 * Stop at given offsets; partitions not listed stop at their earliest offset, so
	 * nothing of them is read, as with Flink's specific stopping offsets.
	 * @param offsets the offsets
	 * @return the strategy
	 */
	static StoppingOffsets specific(Map<TopicPartition, Long> offsets) {
		return new SpecificStoppingOffsets(Map.copyOf(offsets));
	}

	/**
	 * The stop offsets of partitions.
	 * @param partitions the partitions
	 * @param lookup looks up offsets
	 * @return the first offset not to read, for every partition
	 */
	Map<TopicPartition, Long> stopOffsets(Collection<TopicPartition> partitions, OffsetsLookup lookup);

}
