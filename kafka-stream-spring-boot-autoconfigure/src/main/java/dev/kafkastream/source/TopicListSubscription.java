package dev.kafkastream.source;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Subscribes to a list of topics through the consumer group.
 */
record TopicListSubscription(List<String> topics) implements Subscription {

	TopicListSubscription {
		if (topics.isEmpty()) {
			throw new IllegalArgumentException("A topic subscription needs at least one topic");
		}
	}

	@Override
	public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener listener, int worker, int workers) {
		consumer.subscribe(this.topics, listener);
	}

	@Override
	public Set<TopicPartition> partitionsIn(Map<String, List<PartitionInfo>> topics) {
		Set<TopicPartition> partitions = new HashSet<>();
		for (String topic : this.topics) {
			partitions.addAll(ListedOffsets.partitions(topics.getOrDefault(topic, List.of())));
		}
		return partitions;
	}

	@Override
	public List<String> missingIn(Map<String, List<PartitionInfo>> topics) {
		return this.topics.stream()
			.filter((topic) -> !topics.containsKey(topic))
			.map((topic) -> "topic '" + topic + "'")
			.toList();
	}

	@Override
	public boolean usesGroup() {
		return true;
	}

	@Override
	public String toString() {
		return "topics " + this.topics;
	}

}
