package dev.kafkastream.source;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * What a source reads: a list of topics, the topics matching a pattern, or explicit
 * partitions. Topic subscriptions share partitions through the consumer group;
 * explicit partitions are assigned to the workers directly, without group rebalancing.
 */
public interface Subscription {

	/**
	 * Subscribes to a list of topics.
	 * @param topics the topics
	 * @return the subscription
	 */
	static Subscription topics(Collection<String> topics) {
		return new TopicListSubscription(List.copyOf(topics));
	}

	/**
	 * Subscribes to every topic whose name matches a regular expression, including topics
	 * created later. A list such as {@code a|b|c} is a pattern too.
	 * @param pattern the pattern
	 * @return the subscription
	 */
	static Subscription pattern(Pattern pattern) {
		return new TopicPatternSubscription(pattern);
	}

	/**
	 * Reads explicit partitions, spread over the workers, without group rebalancing.
	 * @param partitions the partitions
	 * @return the subscription
	 */
	static Subscription partitions(Collection<TopicPartition> partitions) {
		return new PartitionListSubscription(List.copyOf(partitions));
	}

	/**
	 * Starts reading with one worker's consumer.
	 * @param consumer the consumer
	 * @param listener the listener of group rebalances
	 * @param worker the index of the worker
	 * @param workers the number of workers of the source
	 */
	void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener listener, int worker, int workers);

	/**
	 * The partitions this subscription covers in the given cluster metadata.
	 * @param topics the partitions of every topic, as {@link Consumer#listTopics()} gives
	 * them
	 * @return the partitions
	 */
	Set<TopicPartition> partitionsIn(Map<String, List<PartitionInfo>> topics);

	/**
	 * What this subscription reads that the given cluster metadata lacks: each topic
	 * that does not exist, a pattern that matches no topic, each explicit partition
	 * beyond its topic's partitions.
	 * @param topics the partitions of every topic, as {@link Consumer#listTopics()} gives
	 * them
	 * @return a description of each, such as {@code topic 'orders'}; empty when
	 * everything exists
	 */
	List<String> missingIn(Map<String, List<PartitionInfo>> topics);

	/**
	 * Whether the partitions are shared through the consumer group.
	 * @return {@code true} unless partitions are assigned explicitly
	 */
	boolean usesGroup();

}
