package dev.kafkastream.source;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Starts listed partitions at given offsets and the others as a reset strategy says.
 */
record SpecificStartingOffsets(Map<TopicPartition, Long> offsets, OffsetResetStrategy reset)
		implements StartingOffsets {

	@Override
	public Map<TopicPartition, Long> startOffsets(Collection<TopicPartition> partitions, OffsetsLookup lookup) {
		return ListedOffsets.of(this.offsets, partitions,
				(unlisted) -> ResetStartingOffsets.reset(this.reset, unlisted, lookup));
	}

	@Override
	public String toString() {
		return "specific offsets " + this.offsets + ", otherwise " + this.reset;
	}

}
