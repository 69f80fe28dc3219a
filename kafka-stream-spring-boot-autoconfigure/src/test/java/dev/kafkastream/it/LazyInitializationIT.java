package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.it.PassThroughApplication.PassThroughHandler;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code spring.main.lazy-initialization=true} the handler beans are still found and
 * the pipelines still start: every input record reaches the sink exactly once.
 */
class LazyInitializationIT {

	private static final int RECORDS = 200;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void pipelineRunsWithLazyInitialization() {
		String input = KafkaTestBroker.uniqueTopicName("lazy-in");
		String output = KafkaTestBroker.uniqueTopicName("lazy-out");
		this.kafka.createTopic(input, 2);
		this.kafka.createTopic(output, 2);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, 7);
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", "lazy-it")
			.with("--spring.main.lazy-initialization=true")
			.run(PassThroughApplication.class)) {
			assertThat(context.getBean(KafkaStreamLifecycle.class).isRunning()).isTrue();
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(2));
			assertThat(context.getBean(PassThroughHandler.class).handled()).isGreaterThanOrEqualTo(RECORDS);
		}
	}

}
