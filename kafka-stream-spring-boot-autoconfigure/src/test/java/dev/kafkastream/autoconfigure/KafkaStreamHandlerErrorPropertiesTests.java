package dev.kafkastream.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.source.HandlerErrorPolicy;
import dev.kafkastream.source.HandlerRetry;
import dev.kafkastream.source.KafkaSourceSpec;
import dev.kafkastream.source.Subscription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.kafkastream.autoconfigure.ConfigurationFailures.assertFailure;
import static dev.kafkastream.autoconfigure.ConfigurationFailures.findCause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the handler error properties of a source,
 * {@code kafka-stream.sources.<name>.on-handler-error} and
 * {@code handler-max-attempts}, {@code handler-backoff}, {@code handler-max-backoff}: the
 * {@link KafkaSourceSpec} they make, and the property named for each mistake.
 */
class KafkaStreamHandlerErrorPropertiesTests {

	private static final String SOURCE = "kafka-stream.sources.in";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
				SOURCE + ".group-id=g", SOURCE + ".topics=orders", "kafka-stream.sinks.out.topic=out")
		.withUserConfiguration(UpperCaseConfiguration.class);

	@Test
	void defaultsFailAfterThreeAttemptsBackingOffFrom100MillisUpToOneSecond() {
		this.contextRunner.run((context) -> {
			KafkaSourceSpec source = source(context);
			assertThat(source.handlerErrorPolicy()).isEqualTo(HandlerErrorPolicy.FAIL);
			assertThat(source.handlerRetry())
				.isEqualTo(new HandlerRetry(3, Duration.ofMillis(100), Duration.ofSeconds(1)));
			assertThat(source.handlerRetry().totalBackoff()).isEqualTo(Duration.ofMillis(300));
			assertThat(source.writesDeadLetters()).isFalse();
		});
	}

	@Test
	void bindsPolicyAttemptsAndBackoffs() {
		this.contextRunner
			.withPropertyValues(SOURCE + ".on-handler-error=skip", SOURCE + ".handler-max-attempts=5",
					SOURCE + ".handler-backoff=50ms", SOURCE + ".handler-max-backoff=150ms")
			.run((context) -> {
				KafkaSourceSpec source = source(context);
				assertThat(source.handlerErrorPolicy()).isEqualTo(HandlerErrorPolicy.SKIP);
				HandlerRetry retry = source.handlerRetry();
				assertThat(retry.maxAttempts()).isEqualTo(5);
				assertThat(List.of(retry.backoff(1), retry.backoff(2), retry.backoff(3), retry.backoff(4)))
					.containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(150),
							Duration.ofMillis(150));
				assertThat(retry.totalBackoff()).isEqualTo(Duration.ofMillis(450));
			});
	}

	@Test
	void oneAttemptMeansNoRetry() {
		this.contextRunner.withPropertyValues(SOURCE + ".handler-max-attempts=1")
			.run((context) -> assertThat(source(context).handlerRetry().totalBackoff()).isZero());
	}

	@Test
	void deadLetterWritesToTheDeadLetterTopic() {
		this.contextRunner
			.withPropertyValues(SOURCE + ".on-handler-error=dead-letter", SOURCE + ".dead-letter-topic=orders-failed")
			.run((context) -> {
				KafkaSourceSpec source = source(context);
				assertThat(source.handlerErrorPolicy()).isEqualTo(HandlerErrorPolicy.DEAD_LETTER);
				assertThat(source.writesDeadLetters()).isTrue();
				assertThat(source.deadLetterTopic("orders")).isEqualTo("orders-failed");
			});
	}

	@Test
	void deadLetterLeavesTheDeadLetterTopicsOutOfATopicPattern() {
		this.contextRunner
			.withPropertyValues(SOURCE + ".topics=", SOURCE + ".topic-pattern=orders.*",
					SOURCE + ".on-handler-error=dead-letter")
			.run((context) -> {
				Subscription subscription = source(context).subscription();
				Map<String, List<PartitionInfo>> topics = Map.of("orders-eu", List.of(partitionInfo("orders-eu")),
						"orders-eu.DLT", List.of(partitionInfo("orders-eu.DLT")));
				assertThat(subscription.partitionsIn(topics)).containsExactly(new TopicPartition("orders-eu", 0));
			});
	}

	@Test
	void failsForADeadLetterSourceThatReadsItsOwnDeadLetterTopic() {
		this.contextRunner
			.withPropertyValues(SOURCE + ".topics=orders,orders.DLT", SOURCE + ".on-handler-error=dead-letter")
			.run((context) -> assertFailure(context, SOURCE + ".dead-letter-topic",
					"Source reads 'orders.DLT', which is also where it sends records it cannot deserialize or handle",
					"Choose another dead-letter topic"));
	}

	@Test
	void failsForAnUnknownPolicy() {
		this.contextRunner.withPropertyValues(SOURCE + ".on-handler-error=retry-forever").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(findCause(context.getStartupFailure(), BindException.class))
				.hasMessageContaining("'" + SOURCE + ".on-handler-error'");
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("retry-forever");
		});
	}

	@Test
	void failsForNoAttempt() {
		this.contextRunner.withPropertyValues(SOURCE + ".handler-max-attempts=0")
			.run((context) -> assertFailure(context, SOURCE + ".handler-max-attempts",
					"The number of handler attempts is 0", "Set it to 1 (no retry) or more."));
	}

	@Test
	void failsForANegativeBackoff() {
		this.contextRunner.withPropertyValues(SOURCE + ".handler-backoff=-1ms")
			.run((context) -> assertFailure(context, SOURCE + ".handler-backoff", "The duration PT-0.001S is negative",
					"Set it to 0 or more"));
	}

	@Test
	void failsForANegativeMaxBackoff() {
		this.contextRunner.withPropertyValues(SOURCE + ".handler-max-backoff=-2s")
			.run((context) -> assertFailure(context, SOURCE + ".handler-max-backoff", "The duration PT-2S is negative",
					"Set it to 0 or more"));
	}

	@Test
	void acceptsRetriesThatWaitLongerThanTheMaxPollIntervalAndTheTransactionTimeout() {
		// 100ms + 200ms + ... + 25.6s, then 4 x 30s: 171.1s; the worker polls and checkpoints while it waits
		this.contextRunner.withPropertyValues(SOURCE + ".handler-max-attempts=14", SOURCE + ".handler-max-backoff=30s")
			.run((context) -> assertThat(source(context).handlerRetry().totalBackoff())
				.isEqualTo(Duration.ofMillis(171_100)));
	}

	@Test
	void failsForAMaxPollIntervalThatIsNotANumber() {
		this.contextRunner.withPropertyValues(SOURCE + ".properties.max.poll.interval.ms=5m")
			.run((context) -> assertFailure(context, SOURCE + ".properties.max.poll.interval.ms",
					"'5m' is not a number of milliseconds", "Set the interval in milliseconds."));
	}

	private static KafkaSourceSpec source(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow().spec().source();
	}

	private static PartitionInfo partitionInfo(String topic) {
		return new PartitionInfo(topic, 0, null, new Node[0], new Node[0]);
	}

	@Configuration(proxyBeanMethods = false)
	static class UpperCaseConfiguration {

		@Bean
		UpperCaseHandler upperCaseHandler() {
			return new UpperCaseHandler();
		}

	}

	static class UpperCaseHandler {

		@KafkaStreamHandler(source = "in", sink = "out")
		String upperCase(String value) {
			return value.toUpperCase(Locale.ROOT);
		}

	}

}
