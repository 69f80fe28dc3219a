package dev.kafkastream.devbroker;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfiguredTopics}.
 */
class ConfiguredTopicsTests {

	@Test
	void namesSourcesTopicsSinksTopicsAndDeadLetterTopics() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("kafka-stream.sources.orders.topics", "orders,returns")
			.withProperty("kafka-stream.sources.orders.on-handler-error", "dead-letter")
			.withProperty("kafka-stream.sources.payments.topics[0]", "payments")
			.withProperty("kafka-stream.sources.payments.on-deserialization-error", "DEAD_LETTER")
			.withProperty("kafka-stream.sources.payments.dead-letter-topic", "payments-failed")
			.withProperty("kafka-stream.sources.audit.topics", "audit")
			.withProperty("kafka-stream.sources.audit.on-handler-error", "skip")
			.withProperty("kafka-stream.sources.everything.topic-pattern", "events-.*")
			.withProperty("kafka-stream.sinks.enriched.topic", "orders-enriched");
		assertThat(ConfiguredTopics.of(environment)).containsExactlyInAnyOrder("orders", "returns", "orders.DLT",
				"returns.DLT", "payments", "payments-failed", "audit", "orders-enriched");
	}

	@Test
	void namesNothingWithoutSourcesAndSinks() {
		assertThat(ConfiguredTopics.of(new MockEnvironment())).isEmpty();
	}

}
