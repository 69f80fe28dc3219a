package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.core.SinkEmitter;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.runtime.PipelineSpec;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One exactly-once pipeline writing to three sinks: its handler emits even ids to sink
 * {@code a} and odd ids to sink {@code b} through a {@link SinkEmitter}, and returns every
 * value to the default sink {@code out}. All three share each worker's producer and
 * transaction; each topic, read with {@code read_committed}, holds exactly its subset,
 * in per-key order, with no transaction left open.
 */
class MultiSinkIT {

	private static final int RECORDS = 10_000;

	private static final int KEYS = 50;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void emitterRoutesToSeveralSinksExactlyOnce() {
		String input = KafkaTestBroker.uniqueTopicName("multi-in");
		String output = KafkaTestBroker.uniqueTopicName("multi-out");
		String even = KafkaTestBroker.uniqueTopicName("multi-a");
		String odd = KafkaTestBroker.uniqueTopicName("multi-b");
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		this.kafka.createTopic(even, 2);
		this.kafka.createTopic(odd, 2);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, KEYS);
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", "multi-sink-it")
			.with("--kafka-stream.sources.in.concurrency=2", "--kafka-stream.sinks.a.topic=" + even,
					"--kafka-stream.sinks.a.delivery-guarantee=exactly-once",
					"--kafka-stream.sinks.a.transactional-id-prefix=" + even, "--kafka-stream.sinks.b.topic=" + odd,
					"--kafka-stream.sinks.b.delivery-guarantee=exactly-once",
					"--kafka-stream.sinks.b.transactional-id-prefix=" + odd)
			.run(MultiSinkApplication.class)) {
			PipelineSpec spec = context.getBean(KafkaStreamLifecycle.class)
				.getRuntime()
				.pipeline("in")
				.orElseThrow()
				.spec();
			assertThat(spec.sinks()).extracting(KafkaSinkSpec::name).containsExactly("out", "a", "b");
			assertThat(spec.producerSink()).extracting(KafkaSinkSpec::name).isEqualTo("out");
			ExactlyOnceVerifier.Result all = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(2));
			assertThat(all.recordsRead()).isEqualTo(RECORDS);
			List<TestRecords.Input> evens = inputs.stream().filter((record) -> record.id() % 2 == 0).toList();
			List<TestRecords.Input> odds = inputs.stream().filter((record) -> record.id() % 2 != 0).toList();
			ExactlyOnceVerifier.Result a = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), even, evens)
				.awaitExactlyOnce(Duration.ofMinutes(1));
			assertThat(a.recordsRead()).isEqualTo(evens.size());
			ExactlyOnceVerifier.Result b = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), odd, odds)
				.awaitExactlyOnce(Duration.ofMinutes(1));
			assertThat(b.recordsRead()).isEqualTo(odds.size());
		}
	}

	/**
	 * Emits even ids to sink {@code a}, odd ids to sink {@code b}, and returns every value
	 * to the default sink.
	 */
	static class RoutingHandler {

		@KafkaStreamHandler(source = "in", sink = "out", sinks = { "a", "b" })
		String handle(String value, SinkEmitter emitter) {
			long id = TestRecords.parseId(value).orElseThrow();
			emitter.emit((id % 2 == 0) ? "a" : "b", value + "|" + ((id % 2 == 0) ? "a" : "b"));
			return value + "|out";
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class MultiSinkApplication {

		@Bean
		RoutingHandler routingHandler() {
			return new RoutingHandler();
		}

	}

}
