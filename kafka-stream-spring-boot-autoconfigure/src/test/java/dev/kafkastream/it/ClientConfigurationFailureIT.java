package dev.kafkastream.it;

import java.time.Duration;

import dev.kafkastream.actuate.KafkaStreamHealthIndicator;
import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.runtime.WorkerStatus;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Kafka client setting under a free-form {@code properties} map that the client refuses
 * when a worker creates it (a class that cannot be loaded, a value of the wrong type):
 * the pipeline fails at its first attempt, naming the source or sink, the setting and
 * where to fix it, instead of retrying {@code recovery.max-attempts} times (1000 here,
 * so a retry would show as a timeout). Nothing is committed.
 */
class ClientConfigurationFailureIT {

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void sinkInterceptorClassThatCannotBeLoadedFailsThePipelineAtOnce() throws Exception {
		assertFailsAtOnce("--kafka-stream.sinks.out.properties.interceptor.classes=com.example.MissingInterceptor",
				"Sink 'out' could not create its producer: KafkaException: Failed to construct kafka producer;"
						+ " caused by KafkaException: Class com.example.MissingInterceptor cannot be found. Check the"
						+ " client settings under 'kafka-stream.sinks.out.properties' or 'kafka-stream.properties';"
						+ " retrying cannot fix this.");
	}

	@Test
	void invalidSinkClientValueFailsThePipelineAtOnce() throws Exception {
		assertFailsAtOnce("--kafka-stream.sinks.out.properties.linger.ms=five",
				"Sink 'out' could not create its producer: ConfigException: Invalid value five for configuration"
						+ " linger.ms: Not a number of type LONG. Fix 'linger.ms' under"
						+ " 'kafka-stream.sinks.out.properties' or 'kafka-stream.properties'; retrying cannot fix"
						+ " this.");
	}

	@Test
	void sourceInterceptorClassThatCannotBeLoadedFailsThePipelineAtOnce() throws Exception {
		assertFailsAtOnce("--kafka-stream.sources.in.properties.interceptor.classes=com.example.MissingInterceptor",
				"Source 'in' could not create its consumer: KafkaException: Failed to construct kafka consumer;"
						+ " caused by KafkaException: Class com.example.MissingInterceptor cannot be found. Check the"
						+ " client settings under 'kafka-stream.sources.in.properties' or 'kafka-stream.properties';"
						+ " retrying cannot fix this.");
	}

	private void assertFailsAtOnce(String setting, String message) throws Exception {
		String input = KafkaTestBroker.uniqueTopicName("client-config-in");
		String out = KafkaTestBroker.uniqueTopicName("client-config-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(out, 1);
		TestRecords.produce(this.kafka.bootstrapServers(), input, 3, 1);
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(this.kafka.bootstrapServers(), input, out, "exactly-once", input)
			.with("--kafka-stream.recovery.max-attempts=1000", setting)
			.run(PassThroughApplication.class)) {
			Pipeline pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.FAILED);
			assertThat(pipeline.failure())
				.isEqualTo("kafka-stream-in-0: dev.kafkastream.core.NonRetryableException: " + message);
			assertThat(pipeline.workers()).extracting(WorkerStatus::consecutiveFailures).containsAnyOf(0, 1);
			assertThat(context.getBean(KafkaStreamHealthIndicator.class).health(true).getStatus())
				.isEqualTo(Status.DOWN);
			assertThat(TopicContent.committedOffsets(this.kafka.admin(), input)).isEmpty();
			assertThat(TopicContent.readCommitted(this.kafka.bootstrapServers(), out).records()).isEmpty();
		}
	}

}
