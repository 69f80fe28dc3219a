package dev.kafkastream.source;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Stops partitions at their end offsets.
 */
record LatestStoppingOffsets() implements StoppingOffsets {

	@Override
	public Map<TopicPartition, Long> stopOffsets(Collection<TopicPartition> partitions, OffsetsLookup lookup) {
		return lookup.endOffsets(partitions);
	}

	@Override
	public String toString() {
		return "latest";
	}

}
