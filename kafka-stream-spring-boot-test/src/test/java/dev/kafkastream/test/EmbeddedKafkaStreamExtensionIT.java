package dev.kafkastream.test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EmbeddedKafkaStream} on a plain JUnit 5 test: the annotation's topics exist before the tests run and the
 * shared broker is injected as a parameter.
 */
@EmbeddedKafkaStream(topics = { "extension-it-a", "extension-it-b" }, partitions = 3)
class EmbeddedKafkaStreamExtensionIT {

	private final KafkaTestBroker constructorInjected;

	EmbeddedKafkaStreamExtensionIT(KafkaTestBroker kafka) {
		this.constructorInjected = kafka;
	}

	@Test
	void injectsTheSharedBroker(KafkaTestBroker kafka, EmbeddedKafkaBrokerSupport support) {
		assertThat(kafka).isSameAs(EmbeddedKafkaBrokerSupport.shared()).isSameAs(support)
			.isSameAs(this.constructorInjected);
	}

	@Test
	void createsTheTopicsAndRecordsRoundTrip(KafkaTestBroker kafka) throws Exception {
		assertThat(kafka.admin().describeTopics(List.of("extension-it-a", "extension-it-b"))
			.allTopicNames()
			.get(10, TimeUnit.SECONDS)
			.values()).allSatisfy((topic) -> assertThat(topic.partitions()).hasSize(3));

		List<TestRecords.Input> inputs = TestRecords.produce(kafka.bootstrapServers(), "extension-it-a", 30, 4);
		TopicContent content = TopicContent.readCommitted(kafka.bootstrapServers(), "extension-it-a");
		assertThat(content.openTransactions()).isEmpty();
		assertThat(content.records()).hasSize(30);
		ExactlyOnceVerifier.of(kafka.bootstrapServers(), "extension-it-a", inputs).verify().assertExactlyOnce();
	}

}
