package dev.kafkastream.source;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Looks up offsets of partitions, as a consumer can.
 */
public interface OffsetsLookup {

	/**
	 * The earliest offsets.
	 * @param partitions the partitions
	 * @return the offsets
	 */
	Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions);

	/**
	 * The end offsets, as the consumer's isolation level sees them.
	 * @param partitions the partitions
	 * @return the offsets
	 */
	Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions);

	/**
	 * The earliest offset whose timestamp is at or after the given one, for each partition.
	 * @param timestamps the timestamps, in epoch milliseconds
	 * @return the offsets; a partition with no such record is absent
	 */
	Map<TopicPartition, Long> offsetsForTimes(Map<TopicPartition, Long> timestamps);

}
