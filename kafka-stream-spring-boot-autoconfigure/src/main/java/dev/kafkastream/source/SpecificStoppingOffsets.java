package dev.kafkastream.source;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Stops listed partitions at given offsets and reads nothing of the others.
 */
record SpecificStoppingOffsets(Map<TopicPartition, Long> offsets) implements StoppingOffsets {

	@Override
	public Map<TopicPartition, Long> stopOffsets(Collection<TopicPartition> partitions, OffsetsLookup lookup) {
		return ListedOffsets.of(this.offsets, partitions, lookup::beginningOffsets);
	}

	@Override
	public String toString() {
		return "specific offsets " + this.offsets;
	}

}
