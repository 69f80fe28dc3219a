package dev.kafkastream.test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EmbeddedKafkaStream} on a {@code @SpringBootTest}: the application's bootstrap servers (even a configured
 * one) point at the shared broker, the broker is a bean, and the annotation's and the configuration's topics exist
 * before the context is used.
 */
@SpringBootTest(classes = EmbeddedKafkaStreamSpringIT.Empty.class,
		properties = { "spring.kafka.bootstrap-servers=localhost:1",
				"kafka-stream.sources.orders.topics=spring-it-orders,spring-it-returns",
				"kafka-stream.sources.orders.on-handler-error=dead-letter",
				"kafka-stream.sources.audit.topics=spring-it-audit",
				"kafka-stream.sources.audit.on-deserialization-error=DEAD_LETTER",
				"kafka-stream.sources.audit.dead-letter-topic=spring-it-audit-rejected",
				"kafka-stream.sources.pinned.partitions.spring-it-pinned=0,1",
				"kafka-stream.sinks.enriched.topic=spring-it-enriched" })
@EmbeddedKafkaStream(topics = "spring-it-extra", partitions = 2)
class EmbeddedKafkaStreamSpringIT {

	@Autowired
	private Environment environment;

	@Autowired
	private KafkaTestBroker kafka;

	@Test
	void pointsTheApplicationAtTheSharedBroker() {
		String servers = EmbeddedKafkaBrokerSupport.shared().bootstrapServers();
		assertThat(this.kafka).isSameAs(EmbeddedKafkaBrokerSupport.shared());
		assertThat(this.environment.getProperty("kafka-stream.bootstrap-servers")).isEqualTo(servers);
		assertThat(this.environment.getProperty("spring.kafka.bootstrap-servers")).isEqualTo(servers);
	}

	@Test
	void createsTheAnnotationsAndTheConfiguredTopics() throws Exception {
		List<String> expected = List.of("spring-it-extra", "spring-it-orders", "spring-it-returns",
				"spring-it-orders.DLT", "spring-it-returns.DLT", "spring-it-audit", "spring-it-audit-rejected",
				"spring-it-pinned", "spring-it-enriched");
		Map<String, TopicDescription> topics = this.kafka.admin()
			.describeTopics(expected)
			.allTopicNames()
			.get(10, TimeUnit.SECONDS);
		assertThat(topics).containsOnlyKeys(expected);
		assertThat(topics.values()).allSatisfy((topic) -> assertThat(topic.partitions()).hasSize(2));
		assertThat(this.kafka.admin().listTopics().names().get(10, TimeUnit.SECONDS))
			.as("no dead-letter topic without a dead-letter policy")
			.doesNotContain("spring-it-audit.DLT", "spring-it-pinned.DLT");
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
