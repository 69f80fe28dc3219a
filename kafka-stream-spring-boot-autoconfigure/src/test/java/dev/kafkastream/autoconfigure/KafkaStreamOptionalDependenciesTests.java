package dev.kafkastream.autoconfigure;

import java.nio.charset.StandardCharsets;

import dev.kafkastream.actuate.KafkaStreamEndpoint;
import dev.kafkastream.actuate.KafkaStreamHealthIndicator;
import dev.kafkastream.actuate.KafkaStreamLivenessStatePublisher;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.handler.RecordKey;
import dev.kafkastream.runtime.PipelineSpec;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.kafkastream.autoconfigure.ConfigurationFailures.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The starter's optional dependencies: without Actuator, Jackson or spring-kafka on the
 * class path the auto-configuration still builds the pipelines of handlers that do not
 * need them, and a pipeline that needs JSON fails at start naming the property and what
 * is missing.
 */
class KafkaStreamOptionalDependenciesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class, KafkaStreamEndpointAutoConfiguration.class,
				KafkaStreamHealthContributorAutoConfiguration.class, KafkaStreamMetricsAutoConfiguration.class,
				KafkaStreamObservationAutoConfiguration.class, KafkaStreamSanitizingAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
				"kafka-stream.sources.text.topics=in", "kafka-stream.sources.text.group-id=g",
				"kafka-stream.sinks.out.topic=out", "management.endpoints.web.exposure.include=kafkastream")
		.withUserConfiguration(TextConfiguration.class);

	@Test
	void withEverythingTheActuatorBeansExist() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(KafkaStreamEndpoint.class)
			.hasBean("kafkaStreamHealthIndicator")
			.hasSingleBean(SanitizingFunction.class));
	}

	@Test
	void withoutActuatorThePipelinesAreBuiltWithoutEndpointOrHealth() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.",
					"org.springframework.boot.health."))
			.run((context) -> {
				assertTextPipelineBuilt(context);
				assertThat(context).doesNotHaveBean(KafkaStreamEndpoint.class)
					.doesNotHaveBean(KafkaStreamHealthIndicator.class)
					.doesNotHaveBean(KafkaStreamLivenessStatePublisher.class)
					.doesNotHaveBean(HealthContributor.class)
					.doesNotHaveBean(KafkaStreamMetricsRegistrar.class)
					.doesNotHaveBean("kafkaStreamSanitizingFunction");
			});
	}

	@Test
	void withoutJacksonTextPipelinesAreBuilt() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("tools.jackson."))
			.run((context) -> {
				assertTextPipelineBuilt(context);
				assertThat(context).doesNotHaveBean(JsonSerdes.class);
				@SuppressWarnings("unchecked")
				Serializer<Object> keys = (Serializer<Object>) context.getBean(KafkaStreamLifecycle.class)
					.getRuntime().pipeline("text").orElseThrow().spec().sink().keySerializer();
				assertThat(keys.serialize("out", "k")).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
				assertThatExceptionOfType(SerializationException.class)
					.isThrownBy(() -> keys.serialize("out", new Order("1")))
					.withMessageContaining("as JSON: Jackson 3 (tools.jackson.databind.json.JsonMapper) missing");
			});
	}

	@Test
	void withoutJacksonAJsonFormatFailsNamingThePropertyAndJackson() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("tools.jackson."))
			.withPropertyValues("kafka-stream.sources.text.value-format=json")
			.run((context) -> assertFailure(context, "kafka-stream.sources.text.value-format",
					"Format 'json' needs Jackson 3 (tools.jackson.databind.json.JsonMapper) on the class path",
					"Add spring-boot-starter-jackson"));
	}

	@Test
	void withoutJacksonATypeThatNeedsJsonFailsNamingTheProperty() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("tools.jackson."))
			.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
					"kafka-stream.sources.orders.topics=orders", "kafka-stream.sources.orders.group-id=g")
			.withUserConfiguration(OrderConfiguration.class)
			.run((context) -> assertFailure(context, "kafka-stream.sources.orders.value-format",
					"Format 'json' needs Jackson 3"));
	}

	@Test
	void withoutSpringKafkaTextPipelinesAreBuilt() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.kafka."))
			.run((context) -> {
				assertTextPipelineBuilt(context);
				assertThat(context).doesNotHaveBean(JsonSerdes.class);
			});
	}

	@Test
	void withoutSpringKafkaAJsonFormatFailsNamingThePropertyAndSpringKafka() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.kafka."))
			.withPropertyValues("kafka-stream.sinks.out.value-format=json")
			.run((context) -> assertFailure(context, "kafka-stream.sinks.out.value-format",
					"Format 'json' needs spring-kafka (org.springframework.kafka.support.serializer.JacksonJsonSerializer)"
							+ " on the class path"));
	}

	private static void assertTextPipelineBuilt(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed().hasSingleBean(KafkaStreamLifecycle.class);
		PipelineSpec text = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("text").orElseThrow()
			.spec();
		assertThat(text.source().keyDeserializer()).isInstanceOf(ByteArrayDeserializer.class);
		assertThat(text.source().valueDeserializer()).isInstanceOf(StringDeserializer.class);
		assertThat(text.sink().keySerializer()).as("the key passes through, written by its class")
			.isInstanceOf(ClassDispatchingSerializer.class);
		assertThat(text.sink().valueSerializer()).isInstanceOf(StringSerializer.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class TextConfiguration {

		@Bean
		TextHandler textHandler() {
			return new TextHandler();
		}

	}

	static class TextHandler {

		@KafkaStreamHandler(source = "text", sink = "out")
		String handle(@RecordKey byte[] key, String value) {
			return value.toUpperCase();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderConfiguration {

		@Bean
		OrderHandler orderHandler() {
			return new OrderHandler();
		}

	}

	static class OrderHandler {

		@KafkaStreamHandler(source = "orders")
		void handle(Order order) {
		}

	}

	record Order(String id) {
	}

}
