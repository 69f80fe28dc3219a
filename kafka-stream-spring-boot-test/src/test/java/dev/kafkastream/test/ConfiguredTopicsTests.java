package dev.kafkastream.test;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfiguredTopics}.
 */
class ConfiguredTopicsTests {

	@Test
	void noKafkaStreamPropertiesNameNoTopics() {
		assertThat(ConfiguredTopics.of(new MockEnvironment())).isEmpty();
	}

	@Test
	void readsTheTopicsOfSourcesSinksAndDeadLetterPolicies() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("kafka-stream.sources.in.topics", "a, b")
			.withProperty("kafka-stream.sources.in.on-handler-error", "dead-letter")
			.withProperty("kafka-stream.sources.in.topic-pattern", "ignored.*")
			.withProperty("kafka-stream.sources.pinned.partitions.c", "0,1")
			.withProperty("kafka-stream.sources.pinned.on-deserialization-error", "dead_letter")
			.withProperty("kafka-stream.sources.pinned.dead-letter-topic", "c-rejected")
			.withProperty("kafka-stream.sources.skipping.topics[0]", "d")
			.withProperty("kafka-stream.sources.skipping.on-handler-error", "skip")
			.withProperty("kafka-stream.sinks.out.topic", "e")
			.withProperty("kafka-stream.sinks.routed.topic-selector", "router");
		assertThat(ConfiguredTopics.of(environment)).containsExactlyInAnyOrder("a", "b", "a.DLT", "b.DLT", "c", "c-rejected",
				"d", "e");
	}

}
