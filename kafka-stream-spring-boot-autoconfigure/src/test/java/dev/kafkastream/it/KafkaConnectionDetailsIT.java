package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.autoconfigure.KafkaStreamConnectionDetails;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a Testcontainers {@code @ServiceConnection} gives an application, without Docker: a
 * {@link KafkaConnectionDetails} bean that is not Spring Boot's properties-backed one,
 * here pointing at the embedded broker. The configured servers, both
 * {@code kafka-stream.bootstrap-servers} and {@code spring.kafka.bootstrap-servers}, point
 * where nothing listens: the starter's exactly-once pipeline runs on the bean's servers
 * alone, as a service connection wins over properties in Spring Boot. The same wiring
 * against a container is {@code dev.kafkastream.testcontainers.UpperCasePipelineContainerIT}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaConnectionDetailsIT {

	private static final int RECORDS = 2_000;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void aServiceConnectionAloneFeedsTheStarter() {
		String input = KafkaTestBroker.uniqueTopicName("details-in");
		String output = KafkaTestBroker.uniqueTopicName("details-out");
		this.kafka.createTopic(input, 2);
		this.kafka.createTopic(output, 2);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, 50);
		List<String> servers = List.of(this.kafka.bootstrapServers());
		// nothing listens on port 1
		String[] arguments = PipelineArguments.inToOut("127.0.0.1:1", input, output, "exactly-once", "details")
			.with("--spring.kafka.bootstrap-servers=127.0.0.1:1")
			.toList()
			.toArray(String[]::new);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PassThroughApplication.class)
			.web(WebApplicationType.NONE)
			.initializers((GenericApplicationContext application) -> application
				.registerBean(KafkaConnectionDetails.class, () -> () -> servers))
			.run(arguments)) {
			assertThat(context.getBean(KafkaStreamConnectionDetails.class).getBootstrapServers()).isEqualTo(servers);
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofSeconds(60));
		}
	}

}
