package dev.kafkastream.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Stops listed partitions at given offsets and reads nothing of the others.
 */
record SpecificStoppingOffsets(Map<TopicPartition, Long> offsets) implements StoppingOffsets {

	@Override
	public Map<TopicPartition, Long> stopOffsets(Collection<TopicPartition> partitions, OffsetsLookup lookup) {
		Map<TopicPartition, Long> stop = new HashMap<>();
		List<TopicPartition> unlisted = new ArrayList<>();
		for (TopicPartition partition : partitions) {
			Long offset = this.offsets.get(partition);
			if (offset != null) {
				stop.put(partition, offset);
			}
			else {
				unlisted.add(partition);
			}
		}
		if (!unlisted.isEmpty()) {
			stop.putAll(lookup.beginningOffsets(unlisted));
		}
		return stop;
	}

	@Override
	public String toString() {
		return "specific offsets " + this.offsets;
	}

}
