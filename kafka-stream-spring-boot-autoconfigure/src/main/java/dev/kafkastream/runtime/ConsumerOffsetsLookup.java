package dev.kafkastream.runtime;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import dev.kafkastream.source.OffsetsLookup;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Looks offsets up with a worker's consumer, so end offsets respect its isolation level.
 */
final class ConsumerOffsetsLookup implements OffsetsLookup {

	private final Consumer<?, ?> consumer;

	ConsumerOffsetsLookup(Consumer<?, ?> consumer) {
		this.consumer = consumer;
	}

	@Override
	public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
		return this.consumer.beginningOffsets(partitions);
	}

	@Override
	public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
		return this.consumer.endOffsets(partitions);
	}

	@Override
	public Map<TopicPartition, Long> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
		Map<TopicPartition, Long> offsets = new HashMap<>();
		this.consumer.offsetsForTimes(timestamps).forEach((partition, offset) -> {
			if (offset != null) {
				offsets.put(partition, offset.offset());
			}
		});
		return offsets;
	}

}
