package dev.kafkastream.autoconfigure;

import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.observation.HandlerContextPropagator;
import dev.kafkastream.observation.HandlerObserverFactory;
import dev.kafkastream.observation.MicrometerHandlerObserverFactory;
import dev.kafkastream.observation.TracingHandlerContextPropagator;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaStreamObservationAutoConfiguration}.
 */
class KafkaStreamObservationAutoConfigurationTests {

	private final ApplicationContextRunner withoutRegistry = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaStreamObservationAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
				"kafka-stream.sources.a.topics=a", "kafka-stream.sources.a.group-id=g",
				"kafka-stream.sources.b.topics=b", "kafka-stream.sources.b.group-id=g")
		.withUserConfiguration(HandlersConfiguration.class);

	private final ApplicationContextRunner contextRunner = this.withoutRegistry
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class));

	@Test
	void observesNoSourceByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MicrometerHandlerObserverFactory.class);
			assertThat(observed(context, "a")).isFalse();
			assertThat(observed(context, "b")).isFalse();
		});
	}

	@Test
	void observesEverySourceWhenEnabled() {
		this.contextRunner.withPropertyValues("kafka-stream.observation.enabled=true").run((context) -> {
			assertThat(observed(context, "a")).isTrue();
			assertThat(observed(context, "b")).isTrue();
		});
	}

	@Test
	void aSourceOverridesTheDefault() {
		this.contextRunner.withPropertyValues("kafka-stream.sources.a.observation-enabled=true").run((context) -> {
			assertThat(observed(context, "a")).isTrue();
			assertThat(observed(context, "b")).isFalse();
		});
		this.contextRunner
			.withPropertyValues("kafka-stream.observation.enabled=true", "kafka-stream.sources.a.observation-enabled=false")
			.run((context) -> {
				assertThat(observed(context, "a")).isFalse();
				assertThat(observed(context, "b")).isTrue();
			});
	}

	@Test
	void backsOffWithoutAnObservationRegistry() {
		this.withoutRegistry.withPropertyValues("kafka-stream.observation.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(HandlerObserverFactory.class);
				assertThat(observed(context, "a")).isFalse();
			});
	}

	@Test
	void pipelinesRunWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer."))
			.withPropertyValues("kafka-stream.observation.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(HandlerObserverFactory.class);
				assertThat(observed(context, "a")).isFalse();
			});
	}

	@Test
	void writesTraceHeadersThroughThePropagator() {
		this.contextRunner.withBean(Propagator.class, () -> Propagator.NOOP)
			.run((context) -> assertThat(context).getBean(HandlerContextPropagator.class)
				.isInstanceOf(TracingHandlerContextPropagator.class));
	}

	@Test
	void writesNoTraceHeadersWithoutTracing() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(HandlerContextPropagator.class));
		this.contextRunner.withClassLoader(new FilteredClassLoader(Propagator.class))
			.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.run((context) -> assertThat(context).hasSingleBean(HandlerObserverFactory.class)
				.doesNotHaveBean(HandlerContextPropagator.class));
	}

	@Test
	void backsOffForAUserFactory() {
		HandlerObserverFactory user = (source, groupId) -> (record) -> null;
		this.contextRunner.withBean(HandlerObserverFactory.class, () -> user)
			.run((context) -> assertThat(context).getBean(HandlerObserverFactory.class).isSameAs(user));
	}

	private static boolean observed(AssertableApplicationContext context, String source) {
		KafkaStreamRuntime runtime = context.getBean(KafkaStreamLifecycle.class).getRuntime();
		return runtime.pipeline(source).orElseThrow().spec().handlerObserver() != null;
	}

	@Configuration(proxyBeanMethods = false)
	static class HandlersConfiguration {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Handlers {

		@KafkaStreamHandler(source = "a")
		void a(String value) {
		}

		@KafkaStreamHandler(source = "b")
		void b(String value) {
		}

	}

}
