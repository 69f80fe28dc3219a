package dev.kafkastream.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.support.KafkaHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A malformed JSON value: the JSON parser's own message, with where in the value it failed, reaches
 * the log line, the pipeline's failure and the dead letter's headers, not only the
 * deserializer's {@code Can't deserialize data from topic [...]}.
 */
@ExtendWith(OutputCaptureExtension.class)
class MalformedJsonIT {

	private static final String TRUNCATED = "{\"id\":\"o-2\",\"amount\":";

	private static final String PARSER_MESSAGE = "Unexpected end-of-input";

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void deadLetterHeadersAndLogNameTheParsersError(CapturedOutput output) {
		String input = KafkaTestBroker.uniqueTopicName("json-dlt-in");
		String out = KafkaTestBroker.uniqueTopicName("json-dlt-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(out, 1);
		this.kafka.createTopic(input + ".DLT", 1);
		produce(input);
		try (ConfigurableApplicationContext context = start(input, out, "dead-letter")) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> TopicContent.readCommitted(this.kafka.bootstrapServers(), input + ".DLT").records()
					.size() == 1);
			ConsumerRecord<byte[], byte[]> deadLetter = TopicContent
				.readCommitted(this.kafka.bootstrapServers(), input + ".DLT")
				.records()
				.get(0);
			assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo(TRUNCATED);
			assertThat(TopicContent.header(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
				.contains("Can't deserialize data");
			assertThat(TopicContent.header(deadLetter, "kafka_dlt-exception-cause-message"))
				.contains(PARSER_MESSAGE, "byte offset: #21");
			assertThat(TopicContent.header(deadLetter, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN))
				.contains("tools.jackson");
			assertThat(output).contains("could not be deserialized", PARSER_MESSAGE);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> TopicContent.readCommitted(this.kafka.bootstrapServers(), out).records().size() == 2);
		}
	}

	@Test
	void aFailedPipelineNamesTheParsersError() {
		String input = KafkaTestBroker.uniqueTopicName("json-fail-in");
		String out = KafkaTestBroker.uniqueTopicName("json-fail-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(out, 1);
		produce(input);
		try (ConfigurableApplicationContext context = start(input, out, "fail")) {
			Pipeline pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.FAILED);
			assertThat(pipeline.failure()).contains("Could not deserialize the value of the record at " + input + "-0@1",
					"Can't deserialize data", PARSER_MESSAGE, "byte offset: #21");
			assertThat(pipeline.workers()).singleElement()
				.satisfies((worker) -> assertThat(worker.lastFailure()).contains(PARSER_MESSAGE));
		}
	}

	private void produce(String topic) {
		Map<String, Object> properties = TestRecords.producerProperties(this.kafka.bootstrapServers());
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
			for (String value : List.of("{\"id\":\"o-1\",\"amount\":5}", TRUNCATED, "{\"id\":\"o-3\",\"amount\":7}")) {
				producer.send(new ProducerRecord<>(topic, "k", value));
			}
			producer.flush();
		}
	}

	private ConfigurableApplicationContext start(String input, String output, String policy) {
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", input)
			.with("--kafka-stream.sources.in.value-format=json",
					"--kafka-stream.sources.in.on-deserialization-error=" + policy)
			.run(JsonApplication.class);
	}

	/** An order, as JSON. */
	record Order(String id, long amount) {
	}

	static class OrderHandler {

		@KafkaStreamHandler(source = "in", sink = "out")
		String handle(Order order) {
			return order.id() + "|" + order.amount();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class JsonApplication {

		@Bean
		OrderHandler orderHandler() {
			return new OrderHandler();
		}

	}

}
