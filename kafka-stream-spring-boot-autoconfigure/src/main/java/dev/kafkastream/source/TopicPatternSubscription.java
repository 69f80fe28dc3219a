package dev.kafkastream.source;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Subscribes through the consumer group to every topic matching a pattern.
 */
record TopicPatternSubscription(Pattern pattern) implements Subscription {

	@Override
	public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener listener, int worker, int workers) {
		consumer.subscribe(this.pattern, listener);
	}

	@Override
	public Set<TopicPartition> partitionsIn(Map<String, List<PartitionInfo>> topics) {
		Set<TopicPartition> partitions = new HashSet<>();
		topics.forEach((topic, infos) -> {
			if (this.pattern.matcher(topic).matches()) {
				partitions.addAll(ListedOffsets.partitions(infos));
			}
		});
		return partitions;
	}

	@Override
	public List<String> missingIn(Map<String, List<PartitionInfo>> topics) {
		boolean matched = topics.keySet().stream().anyMatch((topic) -> this.pattern.matcher(topic).matches());
		return matched ? List.of() : List.of("a topic matching '" + this.pattern + "'");
	}

	@Override
	public boolean usesGroup() {
		return true;
	}

	@Override
	public String toString() {
		return "topics matching " + this.pattern;
	}

}
