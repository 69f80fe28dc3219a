package dev.kafkastream.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.core.SinkEmitter;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.support.KafkaHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing through Micrometer Observation and Spring Boot's OpenTelemetry
 * auto-configuration. Two input records carry a W3C {@code traceparent} (or a B3 header)
 * of trace T and span P. The handler writes the first to its default sink (which copies
 * the input's headers) and to a second sink, and throws on the second, which goes to the
 * dead-letter topic once its attempts are used up.
 */
class TracingIT {

	private static final String TRACEPARENT = "traceparent";

	private static final String B3 = "b3";

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	private final String traceId = hex(16);

	private final String parentSpanId = hex(8);

	@Test
	void outputRecordsCarryTheContextOfTheHandlerSpanWhoseParentIsTheInputs() {
		Topics topics = new Topics("tracing-on", TRACEPARENT, traceparent(this.parentSpanId));
		try (ConfigurableApplicationContext context = topics.run("--kafka-stream.observation.enabled=true",
				"--kafka-stream.sources.in.handler-max-attempts=2", "--kafka-stream.sources.in.handler-backoff=10ms")) {
			FinishedSpans spans = context.getBean(FinishedSpans.class);
			ConsumerRecord<byte[], byte[]> out = topics.single(topics.output);
			ConsumerRecord<byte[], byte[]> side = topics.single(topics.side);
			ConsumerRecord<byte[], byte[]> deadLetter = topics.single(topics.deadLetters);

			// the handler's span: a child of the input's span, in its trace
			String handlerSpanId = spanIdOf(out);
			assertThat(handlerSpanId).isNotEqualTo(this.parentSpanId);
			SpanData handlerSpan = spans.awaitSpan(handlerSpanId);
			assertThat(handlerSpan.getTraceId()).isEqualTo(this.traceId);
			assertThat(handlerSpan.getParentSpanId()).isEqualTo(this.parentSpanId);
			assertThat(handlerSpan.getName()).isEqualTo(topics.input + " process");
			assertThat(handlerSpan.getKind()).isEqualTo(SpanKind.CONSUMER);
			assertThat(handlerSpan.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
			assertThat(handlerSpan.getAttributes().asMap()).extractingFromEntries((entry) -> entry.getKey().getKey()
					+ "=" + entry.getValue())
				.contains("kafka.stream.source=in", "messaging.source.name=" + topics.input,
						"messaging.kafka.source.partition=0", "messaging.kafka.message.offset=0");

			// one traceparent, the handler's, in place of the copied input's; other headers still copied
			assertThat(traceparents(out)).containsExactly(traceparent(handlerSpanId));
			assertThat(TopicContent.header(out, "other")).isEqualTo("o");
			assertThat(traceparents(side)).containsExactly(traceparent(handlerSpanId));

			// each attempt at the poison record is a span with the error; the dead letter carries the last
			String failedSpanId = spanIdOf(deadLetter);
			assertThat(failedSpanId).isNotIn(this.parentSpanId, handlerSpanId);
			assertThat(traceparents(deadLetter)).containsExactly(traceparent(failedSpanId));
			assertThat(TopicContent.header(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).isEqualTo("poison");
			SpanData failedSpan = spans.awaitSpan(failedSpanId);
			List<SpanData> failedAttempts = spans.spans.stream()
				.filter((span) -> span.getStatus().getStatusCode() == StatusCode.ERROR)
				.toList();
			assertThat(failedAttempts).hasSize(2)
				.allSatisfy((span) -> assertThat(span.getParentSpanId()).isEqualTo(this.parentSpanId));
			assertThat(failedAttempts.get(1)).isEqualTo(failedSpan);
		}
	}

	@Test
	void withoutObservationTheHeadersAreWhatTheSinksCopy() {
		Topics topics = new Topics("tracing-off", TRACEPARENT, traceparent(this.parentSpanId));
		try (ConfigurableApplicationContext context = topics.run()) {
			ConsumerRecord<byte[], byte[]> out = topics.single(topics.output);
			ConsumerRecord<byte[], byte[]> side = topics.single(topics.side);
			ConsumerRecord<byte[], byte[]> deadLetter = topics.single(topics.deadLetters);
			assertThat(traceparents(out)).containsExactly(traceparent(this.parentSpanId));
			assertThat(traceparents(side)).isEmpty();
			assertThat(traceparents(deadLetter)).containsExactly(traceparent(this.parentSpanId));
			assertThat(context.getBean(FinishedSpans.class).spans).isEmpty();
		}
	}

	@Test
	void b3HeadersWhenThePropagationIsB3() {
		Topics topics = new Topics("tracing-b3", B3, b3(this.parentSpanId));
		try (ConfigurableApplicationContext context = topics.run("--kafka-stream.observation.enabled=true",
				"--management.tracing.propagation.type=b3")) {
			ConsumerRecord<byte[], byte[]> out = topics.single(topics.output);
			String b3 = TopicContent.header(out, B3);
			assertThat(b3).startsWith(this.traceId + "-");
			String handlerSpanId = b3.split("-")[1];
			assertThat(handlerSpanId).isNotEqualTo(this.parentSpanId);
			assertThat(values(out, B3)).containsExactly(b3(handlerSpanId));
			assertThat(values(out, TRACEPARENT)).isEmpty();
			SpanData handlerSpan = context.getBean(FinishedSpans.class).awaitSpan(handlerSpanId);
			assertThat(handlerSpan.getParentSpanId()).isEqualTo(this.parentSpanId);
		}
	}

	private String b3(String spanId) {
		return this.traceId + "-" + spanId + "-1";
	}

	private String traceparent(String spanId) {
		return "00-" + this.traceId + "-" + spanId + "-01";
	}

	private String spanIdOf(ConsumerRecord<byte[], byte[]> record) {
		String traceparent = TopicContent.header(record, TRACEPARENT);
		String[] parts = traceparent.split("-");
		assertThat(parts).as("traceparent %s", traceparent).hasSize(4);
		assertThat(parts[1]).as("trace id of %s", traceparent).isEqualTo(this.traceId);
		return parts[2];
	}

	private static List<String> traceparents(ConsumerRecord<byte[], byte[]> record) {
		return values(record, TRACEPARENT);
	}

	private static List<String> values(ConsumerRecord<byte[], byte[]> record, String name) {
		List<String> values = new ArrayList<>();
		for (Header header : record.headers().headers(name)) {
			values.add(new String(header.value(), StandardCharsets.UTF_8));
		}
		return values;
	}

	private static String hex(int bytes) {
		byte[] random = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(random);
		random[0] |= 1;
		return HexFormat.of().formatHex(random);
	}

	/**
	 * The topics of one test, with the two input records produced.
	 */
	private final class Topics {

		final String input;

		final String output;

		final String side;

		final String deadLetters;

		Topics(String prefix, String traceHeader, String traceHeaderValue) {
			this.input = KafkaTestBroker.uniqueTopicName(prefix + "-in");
			this.output = KafkaTestBroker.uniqueTopicName(prefix + "-out");
			this.side = KafkaTestBroker.uniqueTopicName(prefix + "-side");
			this.deadLetters = KafkaTestBroker.uniqueTopicName(prefix + "-dlt");
			for (String topic : List.of(this.input, this.output, this.side, this.deadLetters)) {
				TracingIT.this.kafka.createTopic(topic, 1);
			}
			produce(traceHeader, traceHeaderValue, "ok", "poison");
		}

		private void produce(String traceHeader, String traceHeaderValue, String... values) {
			String bootstrapServers = TracingIT.this.kafka.bootstrapServers();
			try (KafkaProducer<String, String> producer = new KafkaProducer<>(
					TestRecords.producerProperties(bootstrapServers))) {
				for (String value : values) {
					ProducerRecord<String, String> record = new ProducerRecord<>(this.input, "k", value);
					record.headers()
						.add(traceHeader, traceHeaderValue.getBytes(StandardCharsets.UTF_8))
						.add("other", "o".getBytes(StandardCharsets.UTF_8));
					producer.send(record).get(30, TimeUnit.SECONDS);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		ConfigurableApplicationContext run(String... arguments) {
			return PipelineArguments
				.inToOut(TracingIT.this.kafka.bootstrapServers(), this.input, this.output, "at-least-once",
						"tracing-it")
				.with("--management.tracing.sampling.probability=1.0", "--kafka-stream.sinks.out.copy-headers=true",
						"--kafka-stream.sinks.side.topic=" + this.side,
						"--kafka-stream.sinks.side.delivery-guarantee=at-least-once",
						"--kafka-stream.sources.in.on-handler-error=dead-letter",
						"--kafka-stream.sources.in.handler-max-attempts=1",
						"--kafka-stream.sources.in.dead-letter-topic=" + this.deadLetters)
				.with(arguments)
				.run(TracingApplication.class);
		}

		ConsumerRecord<byte[], byte[]> single(String topic) {
			String bootstrapServers = TracingIT.this.kafka.bootstrapServers();
			List<ConsumerRecord<byte[], byte[]>> records = await().atMost(Duration.ofSeconds(60))
				.until(() -> TopicContent.readCommitted(bootstrapServers, topic).records(), (read) -> !read.isEmpty());
			assertThat(records).as("records of %s", topic).hasSize(1);
			return records.get(0);
		}

	}

	/**
	 * Writes each value to sink {@code side} and returns it to the default sink; throws on
	 * {@code poison}.
	 */
	static class TracedHandler {

		@KafkaStreamHandler(source = "in", sink = "out", sinks = "side")
		String handle(String value, SinkEmitter emitter) {
			if (value.equals("poison")) {
				throw new IllegalArgumentException("poison");
			}
			emitter.emit("side", value);
			return value;
		}

	}

	/**
	 * Keeps every span that ended.
	 */
	static class FinishedSpans implements SpanProcessor {

		final List<SpanData> spans = new CopyOnWriteArrayList<>();

		@Override
		public void onStart(Context parentContext, ReadWriteSpan span) {
		}

		@Override
		public boolean isStartRequired() {
			return false;
		}

		@Override
		public void onEnd(ReadableSpan span) {
			this.spans.add(span.toSpanData());
		}

		@Override
		public boolean isEndRequired() {
			return true;
		}

		SpanData awaitSpan(String spanId) {
			return await().atMost(Duration.ofSeconds(10))
				.until(() -> this.spans.stream().filter((span) -> span.getSpanId().equals(spanId)).findFirst(),
						Optional::isPresent)
				.orElseThrow();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TracingApplication {

		@Bean
		TracedHandler tracedHandler() {
			return new TracedHandler();
		}

		@Bean
		FinishedSpans finishedSpans() {
			return new FinishedSpans();
		}

	}

}
