package dev.kafkastream.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.handler.KafkaStreamHandlerBeanPostProcessor;
import dev.kafkastream.runtime.KafkaClients;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EarlyPipelineStart}: the pipelines start held while the context is
 * created, after the application's beans and before the auto-configurations that come
 * after the starter's.
 */
class EarlyPipelineStartTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, LaterAutoConfiguration.class))
		.withPropertyValues("kafka-stream.bootstrap-servers=localhost:9092", "kafka-stream.validate-on-startup=off",
				"kafka-stream.sources.in.topics=in", "kafka-stream.sources.in.group-id=g")
		.withUserConfiguration(HandlerConfiguration.class);

	@Test
	void pipelinesRunHeldWhileLaterBeansAreCreatedAndAreReleasedWhenTheContextStarts() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(EarlyPipelineStart.class);
			RuntimeSeenByLaterBean seen = context.getBean(RuntimeSeenByLaterBean.class);
			assertThat(seen.running).as("running while later beans were created").isTrue();
			assertThat(seen.held).as("held while later beans were created").isTrue();
			assertThat(seen.lifecycleRunning).as("running for the context before it started").isFalse();
			KafkaStreamLifecycle lifecycle = context.getBean(KafkaStreamLifecycle.class);
			assertThat(lifecycle.getRuntime()).isSameAs(seen.runtime);
			assertThat(lifecycle.isRunning()).isTrue();
			assertThat(seen.runtime.isHeld()).as("held once the context started").isFalse();
		});
	}

	@Test
	void pipelinesStartedEarlyAreStoppedWhenTheContextFailsToStart() {
		this.contextRunner.withPropertyValues("test.fail-later-bean=true").run((context) -> {
			assertThat(context).hasFailed();
			KafkaStreamRuntime runtime = RuntimeSeenByLaterBean.last.runtime;
			assertThat(RuntimeSeenByLaterBean.last.held).isTrue();
			assertThat(runtime.isRunning()).as("running after the context failed").isFalse();
		});
	}

	@Test
	void pipelinesStartWhenTheContextStartsWithJoinDuringStartupOff() {
		this.contextRunner.withPropertyValues("kafka-stream.join-during-startup=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(EarlyPipelineStart.class);
			RuntimeSeenByLaterBean seen = context.getBean(RuntimeSeenByLaterBean.class);
			assertThat(seen.running).as("running while later beans were created").isFalse();
			assertThat(context.getBean(KafkaStreamLifecycle.class).getRuntime().isRunning()).isTrue();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "spring.context.exit", "spring.context.checkpoint" })
	void nothingStartsEarlyInARunThatEndsOrIsCheckpointedOnceTheContextIsRefreshed(String property) {
		AtomicInteger assembled = new AtomicInteger();
		KafkaStreamLifecycle lifecycle = new KafkaStreamLifecycle(() -> {
			assembled.incrementAndGet();
			throw new IllegalStateException("not assembled in this test");
		}, Duration.ofSeconds(1), true);
		EarlyPipelineStart earlyStart = new EarlyPipelineStart(lifecycle, new KafkaStreamHandlerBeanPostProcessor());
		System.setProperty(property, "onRefresh");
		try {
			earlyStart.afterPropertiesSet();
		}
		finally {
			System.clearProperty(property);
		}
		assertThat(assembled).as("assembled in a run that ends on refresh").hasValue(0);
		earlyStart.afterPropertiesSet();
		assertThat(assembled).as("assembled in a run that goes on").hasValue(1);
	}

	@Test
	void nothingStartsEarlyWithoutAutoStartup() {
		this.contextRunner.withPropertyValues("kafka-stream.auto-startup=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(RuntimeSeenByLaterBean.class).running).isFalse();
			assertThat(context.getBean(KafkaStreamLifecycle.class).getRuntime().isRunning()).isFalse();
		});
	}

	static class Handler {

		@KafkaStreamHandler(source = "in")
		void handle(byte[] value) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HandlerConfiguration {

		@Bean
		Handler handler() {
			return new Handler();
		}

		/** Clients whose consumers read nothing, without a broker. */
		@Bean
		KafkaClients kafkaClients() {
			return new KafkaClients() {

				@Override
				public Consumer<byte[], byte[]> createConsumer(Map<String, Object> config) {
					return new MockConsumer<>("earliest");
				}

				@Override
				public Producer<byte[], byte[]> createProducer(Map<String, Object> config) {
					return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
				}

			};
		}

	}

	/** An auto-configuration after the starter's, as Actuator's are. */
	@AutoConfiguration(after = KafkaStreamAutoConfiguration.class)
	static class LaterAutoConfiguration {

		@Bean
		RuntimeSeenByLaterBean runtimeSeenByLaterBean(KafkaStreamLifecycle lifecycle,
				org.springframework.core.env.Environment environment) {
			RuntimeSeenByLaterBean seen = new RuntimeSeenByLaterBean(lifecycle);
			if (environment.getProperty("test.fail-later-bean", Boolean.class, false)) {
				throw new IllegalStateException("a bean created after the pipelines started fails");
			}
			return seen;
		}

	}

	static final class RuntimeSeenByLaterBean {

		static volatile RuntimeSeenByLaterBean last;

		final KafkaStreamRuntime runtime;

		final boolean running;

		final boolean held;

		final boolean lifecycleRunning;

		RuntimeSeenByLaterBean(KafkaStreamLifecycle lifecycle) {
			this.runtime = lifecycle.getRuntime();
			this.running = this.runtime.isRunning();
			this.held = this.runtime.isHeld();
			this.lifecycleRunning = lifecycle.isRunning();
			last = this;
		}

	}

}
