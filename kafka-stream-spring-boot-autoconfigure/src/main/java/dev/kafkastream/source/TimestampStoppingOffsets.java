package dev.kafkastream.source;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Stops partitions at the first record at or after a timestamp, or at their end.
 */
record TimestampStoppingOffsets(long epochMillis) implements StoppingOffsets {

	@Override
	public Map<TopicPartition, Long> stopOffsets(Collection<TopicPartition> partitions, OffsetsLookup lookup) {
		return TimestampStartingOffsets.atOrAfter(this.epochMillis, partitions, lookup);
	}

	@Override
	public String toString() {
		return "timestamp " + Instant.ofEpochMilli(this.epochMillis);
	}

}
