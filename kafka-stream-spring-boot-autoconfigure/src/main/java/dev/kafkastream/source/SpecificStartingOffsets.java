package dev.kafkastream.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Starts listed partitions at given offsets and the others as a reset strategy says.
 */
record SpecificStartingOffsets(Map<TopicPartition, Long> offsets, OffsetResetStrategy reset)
		implements StartingOffsets {

	@Override
	public Map<TopicPartition, Long> startOffsets(Collection<TopicPartition> partitions, OffsetsLookup lookup) {
		Map<TopicPartition, Long> start = new HashMap<>();
		List<TopicPartition> unlisted = new ArrayList<>();
		for (TopicPartition partition : partitions) {
			Long offset = this.offsets.get(partition);
			if (offset != null) {
				start.put(partition, offset);
			}
			else {
				unlisted.add(partition);
			}
		}
		start.putAll(ResetStartingOffsets.reset(this.reset, unlisted, lookup));
		return start;
	}

	@Override
	public String toString() {
		return "specific offsets " + this.offsets + ", otherwise " + this.reset;
	}

}
