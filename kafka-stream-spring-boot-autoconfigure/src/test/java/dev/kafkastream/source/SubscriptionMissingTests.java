package dev.kafkastream.source;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Subscription#missingIn(Map)}: what a subscription reads that the
 * cluster lacks.
 */
class SubscriptionMissingTests {

	private static final Map<String, List<PartitionInfo>> CLUSTER = Map.of("orders",
			List.of(partition("orders", 0), partition("orders", 1)), "payments", List.of(partition("payments", 0)));

	@Test
	void topicListLacksEachTopicThatDoesNotExist() {
		assertThat(Subscription.topics(List.of("orders", "refunds", "returns")).missingIn(CLUSTER))
			.containsExactly("topic 'refunds'", "topic 'returns'");
		assertThat(Subscription.topics(List.of("orders", "payments")).missingIn(CLUSTER)).isEmpty();
	}

	@Test
	void patternLacksATopicOnlyWhenItMatchesNone() {
		assertThat(Subscription.pattern(Pattern.compile("pay.*")).missingIn(CLUSTER)).isEmpty();
		assertThat(Subscription.pattern(Pattern.compile("refund.*")).missingIn(CLUSTER))
			.containsExactly("a topic matching 'refund.*'");
	}

	@Test
	void partitionListLacksPartitionsBeyondTheTopicsAndTopicsThatDoNotExist() {
		Subscription partitions = Subscription.partitions(List.of(new TopicPartition("orders", 1),
				new TopicPartition("orders", 2), new TopicPartition("refunds", 0), new TopicPartition("refunds", 1)));
		assertThat(partitions.missingIn(CLUSTER)).containsExactly("partition 2 of topic 'orders' (it has 2)",
				"topic 'refunds'");
	}

	private static PartitionInfo partition(String topic, int partition) {
		return new PartitionInfo(topic, partition, null, null, null);
	}

}
