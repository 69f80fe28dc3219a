package dev.kafkastream.source;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Starts partitions at their earliest or latest offset, or fails.
 */
record ResetStartingOffsets(OffsetResetStrategy strategy) implements StartingOffsets {

	@Override
	public Map<TopicPartition, Long> startOffsets(Collection<TopicPartition> partitions, OffsetsLookup lookup) {
		return reset(this.strategy, partitions, lookup);
	}

	static Map<TopicPartition, Long> reset(OffsetResetStrategy strategy, Collection<TopicPartition> partitions,
			OffsetsLookup lookup) {
		if (partitions.isEmpty()) {
			return Map.of();
		}
		return switch (strategy) {
			case EARLIEST -> lookup.beginningOffsets(partitions);
			case LATEST -> lookup.endOffsets(partitions);
			case NONE -> throw new NoStartingOffsetException(partitions);
		};
	}

	@Override
	public String toString() {
		return this.strategy.name().toLowerCase(Locale.ROOT);
	}

}
