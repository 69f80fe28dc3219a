package dev.kafkastream.testcontainers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kafkastream.autoconfigure.KafkaStreamConnectionDetails;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A user's test of {@link UpperCaseApplication} against Kafka in a Docker container: the
 * {@code @ServiceConnection} gives the starter (and Spring Boot's {@code KafkaTemplate})
 * the container's bootstrap servers through Spring Boot's {@code KafkaConnectionDetails};
 * nothing else names a broker.
 * <p>
 * Tagged {@code testcontainers}: compiled by every build, run only by
 * {@code ./mvnw -Ptestcontainers -pl kafka-stream-spring-boot-autoconfigure verify}, which
 * needs a Docker engine (see {@code docs/testing-with-testcontainers.md}).
 */
@Tag("testcontainers")
@Testcontainers
@SpringBootTest(classes = UpperCaseApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.application.name=upper-case", "kafka-stream.sources.words.topics=words",
				"kafka-stream.sinks.upper-case-words.topic=upper-case-words",
				"kafka-stream.sinks.upper-case-words.delivery-guarantee=exactly-once",
				"kafka-stream.sinks.upper-case-words.transactional-id-prefix=upper-case" })
class UpperCasePipelineContainerIT {

	@Container
	@ServiceConnection
	static KafkaContainer kafka = new KafkaContainer("apache/kafka:4.2.1");

	@Autowired
	private KafkaTemplate<String, String> template;

	@BeforeAll
	static void createTopics() throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic("words", 2, (short) 1), new NewTopic("upper-case-words", 2, (short) 1)))
				.all()
				.get();
		}
	}

	@Test
	void theStarterRunsOnTheContainersServers(@Autowired KafkaStreamConnectionDetails connectionDetails) {
		assertThat(connectionDetails.getBootstrapServers()).containsExactly(kafka.getBootstrapServers());
	}

	@Test
	void everyWordIsWrittenInUpperCaseOnce() {
		List.of("alpha", "beta", "gamma").forEach((word) -> this.template.send("words", word, word));
		this.template.flush();
		try (KafkaConsumer<String, String> consumer = readCommitted()) {
			consumer.subscribe(List.of("upper-case-words"));
			List<String> words = new ArrayList<>();
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				consumer.poll(Duration.ofMillis(500)).forEach((record) -> words.add(record.value()));
				assertThat(words).containsExactlyInAnyOrder("ALPHA", "BETA", "GAMMA");
			});
		}
	}

	private static KafkaConsumer<String, String> readCommitted() {
		return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers(),
				ConsumerConfig.GROUP_ID_CONFIG, "verifier", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
				new StringDeserializer());
	}

}
