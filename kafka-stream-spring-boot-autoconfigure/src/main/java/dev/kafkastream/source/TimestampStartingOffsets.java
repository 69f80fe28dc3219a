package dev.kafkastream.source;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Starts partitions at the first record at or after a timestamp, or at their end.
 */
record TimestampStartingOffsets(long epochMillis) implements StartingOffsets {

	@Override
	public Map<TopicPartition, Long> startOffsets(Collection<TopicPartition> partitions, OffsetsLookup lookup) {
		return atOrAfter(this.epochMillis, partitions, lookup);
	}

	/**
	 * The first offset at or after a timestamp, or the end offset of partitions whose
	 * records are all older.
	 */
	static Map<TopicPartition, Long> atOrAfter(long epochMillis, Collection<TopicPartition> partitions,
			OffsetsLookup lookup) {
		Map<TopicPartition, Long> timestamps = new HashMap<>();
		partitions.forEach((partition) -> timestamps.put(partition, epochMillis));
		Map<TopicPartition, Long> offsets = new HashMap<>(lookup.offsetsForTimes(timestamps));
		List<TopicPartition> past = partitions.stream().filter((partition) -> !offsets.containsKey(partition)).toList();
		if (!past.isEmpty()) {
			offsets.putAll(lookup.endOffsets(past));
		}
		return offsets;
	}

	@Override
	public String toString() {
		return "timestamp " + Instant.ofEpochMilli(this.epochMillis);
	}

}
