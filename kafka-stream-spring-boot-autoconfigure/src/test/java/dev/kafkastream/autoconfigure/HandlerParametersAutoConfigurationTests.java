package dev.kafkastream.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.kafkastream.core.RecordContext;
import dev.kafkastream.handler.InvalidHandlerMethodException;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.handler.RecordKey;
import dev.kafkastream.runtime.PipelineSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaStreamAutoConfiguration} with handlers that take the record key,
 * headers or context.
 */
class HandlerParametersAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
				"kafka-stream.sources.in.topics=in", "kafka-stream.sources.in.group-id=g");

	@Test
	void recordKeyTypeChoosesTheKeyFormat() {
		this.contextRunner.withPropertyValues("kafka-stream.sinks.out.topic=out")
			.withBean(KeyAndValueHandler.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				PipelineSpec pipeline = pipeline(context.getBean(KafkaStreamLifecycle.class));
				assertThat(pipeline.source().keyDeserializer()).isInstanceOf(StringDeserializer.class);
				assertThat(pipeline.source().valueDeserializer()).isInstanceOf(LongDeserializer.class);
			});
	}

	@Test
	void handlerWithoutValueReadsValuesAsBytesAndGetsKeyHeadersAndContext() {
		this.contextRunner.withBean(KeyHeadersAndContextHandler.class).run((context) -> {
			assertThat(context).hasNotFailed();
			PipelineSpec pipeline = pipeline(context.getBean(KafkaStreamLifecycle.class));
			assertThat(pipeline.source().keyDeserializer()).isInstanceOf(StringDeserializer.class);
			assertThat(pipeline.source().valueDeserializer()).isInstanceOf(ByteArrayDeserializer.class);
			assertThat(pipeline.sink()).isNull();
			ConsumerRecord<Object, Object> record = new ConsumerRecord<>("in", 1, 7L, "k", new byte[] { 1 });
			record.headers().add("trace", "t".getBytes(StandardCharsets.UTF_8));
			pipeline.handler().handle(record, (value) -> {
				throw new AssertionError("Nothing should be emitted");
			});
			assertThat(context.getBean(KeyHeadersAndContextHandler.class).seen)
				.containsExactly("k|t|" + RecordContext.of(record));
		});
	}

	@Test
	void configuredKeyFormatMustFitTheRecordKeyType() {
		this.contextRunner
			.withPropertyValues("kafka-stream.sinks.out.topic=out", "kafka-stream.sources.in.key-format=long")
			.withBean(KeyAndValueHandler.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOfSatisfying(KafkaStreamConfigurationException.class,
						(failure) -> {
							assertThat(failure.property()).isEqualTo("kafka-stream.sources.in.key-format");
							assertThat(failure).hasMessageContaining("does not fit java.lang.String");
						});
			});
	}

	@Test
	void invalidSignatureFailsStartupNamingTheMethod() {
		this.contextRunner.withBean("twoValues", TwoValuesHandler.class)
			.run((context) -> {
				assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.isInstanceOf(InvalidHandlerMethodException.class)
					.hasMessageStartingWith("@KafkaStreamHandler method twoValues.handle takes the record value twice");
				FailureAnalysis analysis = new InvalidHandlerMethodFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).startsWith("@KafkaStreamHandler method twoValues.handle");
				assertThat(analysis.getAction()).contains("at most one value parameter");
			});
	}

	private static PipelineSpec pipeline(KafkaStreamLifecycle lifecycle) {
		return lifecycle.getRuntime().pipeline("in").orElseThrow().spec();
	}

	static class KeyAndValueHandler {

		@KafkaStreamHandler(source = "in", sink = "out")
		String handle(Long value, @RecordKey String key) {
			return key + value;
		}

	}

	static class KeyHeadersAndContextHandler {

		final List<String> seen = new ArrayList<>();

		@KafkaStreamHandler(source = "in")
		void handle(@RecordKey @Nullable String key, Headers headers, RecordContext context) {
			this.seen.add(key + "|" + new String(headers.lastHeader("trace").value(), StandardCharsets.UTF_8) + "|"
					+ context);
		}

	}

	static class TwoValuesHandler {

		@KafkaStreamHandler(source = "in")
		void handle(String key, String value) {
		}

	}

}
