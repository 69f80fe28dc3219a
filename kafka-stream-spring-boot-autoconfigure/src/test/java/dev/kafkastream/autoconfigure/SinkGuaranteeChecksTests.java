package dev.kafkastream.autoconfigure;

import java.time.Duration;

import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.kafkastream.autoconfigure.ConfigurationFailures.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up checks of sink settings that would break a delivery guarantee.
 */
class SinkGuaranteeChecksTests {

	private static final String SINK = "kafka-stream.sinks.out";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
				"kafka-stream.sources.in.topics=in", "kafka-stream.sources.in.group-id=g", SINK + ".topic=out")
		.withUserConfiguration(CopyConfiguration.class);

	private final ApplicationContextRunner exactlyOnce = this.contextRunner
		.withPropertyValues(SINK + ".delivery-guarantee=exactly-once", SINK + ".transactional-id-prefix=copy");

	@Test
	void acksOtherThanAllFailAtLeastOnce() {
		this.contextRunner.withPropertyValues(SINK + ".properties.acks=1")
			.run((context) -> assertFailure(context, SINK + ".properties.acks",
					"is at-least-once but its producer does not wait for all in-sync replicas (acks=1)"));
	}

	@Test
	void acksSetForEveryClientAreCheckedToo() {
		this.exactlyOnce.withPropertyValues("kafka-stream.properties.acks=0")
			.run((context) -> assertFailure(context, "kafka-stream.properties.acks",
					"is exactly-once but its producer does not wait for all in-sync replicas (acks=0)"));
	}

	@Test
	void idempotenceOffFails() {
		this.exactlyOnce.withPropertyValues(SINK + ".properties.enable.idempotence=false")
			.run((context) -> assertFailure(context, SINK + ".properties.enable.idempotence",
					"its producer is not idempotent"));
	}

	@Test
	void noRetriesFail() {
		this.contextRunner.withPropertyValues(SINK + ".properties.retries=0")
			.run((context) -> assertFailure(context, SINK + ".properties.retries", "never retries a failed send"));
	}

	@Test
	void deliveryGuaranteeNoneAllowsAnyProducerSettings() {
		this.contextRunner
			.withPropertyValues(SINK + ".delivery-guarantee=none", SINK + ".properties.acks=0",
					SINK + ".properties.retries=0", SINK + ".properties.enable.idempotence=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void acksAllAndMinusOneAreFine() {
		this.contextRunner.withPropertyValues(SINK + ".properties.acks=-1")
			.run((context) -> assertThat(context).hasNotFailed());
		this.exactlyOnce.withPropertyValues(SINK + ".properties.acks=all")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void transactionTimeoutMustComfortablyExceedCheckpointIntervalPlusTimeout() {
		this.exactlyOnce.withPropertyValues(SINK + ".transaction-timeout=40s")
			.run((context) -> assertFailure(context, SINK + ".transaction-timeout",
					"a transaction may stay open for 'kafka-stream.checkpoint.interval' plus"
							+ " 'kafka-stream.checkpoint.timeout' = PT31S"));
		this.exactlyOnce.withPropertyValues(SINK + ".properties.transaction.timeout.ms=20000")
			.run((context) -> assertFailure(context, SINK + ".transaction-timeout", "is PT20S"));
		this.exactlyOnce
			.withPropertyValues(SINK + ".transaction-timeout=40s", "kafka-stream.checkpoint.timeout=10s")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void effectiveTransactionTimeoutReachesTheProducers() {
		this.exactlyOnce.withPropertyValues(SINK + ".properties.transaction.timeout.ms=120000").run((context) -> {
			KafkaStreamRuntime runtime = context.getBean(KafkaStreamLifecycle.class).getRuntime();
			assertThat(runtime.pipelines().get(0).spec().sink().transactionTimeout()).isEqualTo(Duration.ofMinutes(2));
			assertThat(runtime.pipelines().get(0).spec().sink().producerConfig("p", "t"))
				.containsEntry("transaction.timeout.ms", 120000);
		});
		this.exactlyOnce.run((context) -> assertThat(context.getBean(KafkaStreamLifecycle.class).getRuntime()
			.pipelines().get(0).spec().sink().transactionTimeout()).isEqualTo(Duration.ofMinutes(1)));
	}

	@Test
	void exactlyOnceSinksMayNotShareATransactionalIdPrefix() {
		this.exactlyOnce
			.withPropertyValues("kafka-stream.sources.in2.topics=in2", "kafka-stream.sources.in2.group-id=g",
					"kafka-stream.sinks.out2.topic=out2", "kafka-stream.sinks.out2.delivery-guarantee=exactly-once",
					"kafka-stream.sinks.out2.transactional-id-prefix=copy")
			.withUserConfiguration(SecondCopyConfiguration.class)
			.run((context) -> assertFailure(context, "kafka-stream.sinks.out2.transactional-id-prefix",
					"Sinks 'out' and 'out2' share the transactional id prefix 'copy'"));
	}

	static class Copy {

		@KafkaStreamHandler(source = "in", sink = "out")
		String copy(String value) {
			return value;
		}

	}

	static class SecondCopy {

		@KafkaStreamHandler(source = "in2", sink = "out2")
		String copy(String value) {
			return value;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CopyConfiguration {

		@Bean
		Copy copy() {
			return new Copy();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondCopyConfiguration {

		@Bean
		SecondCopy secondCopy() {
			return new SecondCopy();
		}

	}

}
