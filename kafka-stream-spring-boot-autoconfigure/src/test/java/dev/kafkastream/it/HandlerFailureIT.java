package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kafkastream.actuate.KafkaStreamHealthIndicator;
import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler that throws, with {@code on-handler-error: fail} and no retry in place
 * ({@code handler-max-attempts: 1}): the worker rolls back to the last checkpoint and retries, so a
 * transient failure costs nothing under exactly-once, and a persistent one fails the
 * pipeline without committing past the bad record.
 */
class HandlerFailureIT {

	private static final int RECORDS = 5_000;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void transientHandlerFailuresAreRetriedWithoutDuplicatesOrLoss() {
		String input = KafkaTestBroker.uniqueTopicName("flaky-in");
		String output = KafkaTestBroker.uniqueTopicName("flaky-out");
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, 50);
		try (ConfigurableApplicationContext context = start(input, output, "--test.fail-times=3")) {
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(2));
			FailingHandler handler = context.getBean(FailingHandler.class);
			assertThat(handler.failures()).isEqualTo(3 * FailingHandler.POISON_IDS.size());
			Pipeline pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
		}
	}

	@Test
	void persistentHandlerFailureFailsThePipelineAndCommitsNothingPastTheBadRecord() throws Exception {
		String input = KafkaTestBroker.uniqueTopicName("poison-in");
		String output = KafkaTestBroker.uniqueTopicName("poison-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, 50);
		try (ConfigurableApplicationContext context = start(input, output, "--test.fail-times=1000000",
				"--kafka-stream.recovery.max-attempts=3")) {
			Pipeline pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
			await().atMost(Duration.ofMinutes(1)).until(() -> pipeline.state() == PipelineState.FAILED);
			assertThat(pipeline.failure()).contains("The handler failed on the record at " + input + "-0@"
					+ FailingHandler.POISON_IDS.get(0));
			assertThat(context.getBean(FailingHandler.class).failures()).isGreaterThanOrEqualTo(3);
			Health health = context.getBean(KafkaStreamHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("pipelines").toString()).contains("FAILED", "poison record");
			long committedOffset = TopicContent.committedOffsets(this.kafka.admin(), input)
				.getOrDefault(new TopicPartition(input, 0), 0L);
			assertThat(committedOffset).isLessThanOrEqualTo(FailingHandler.POISON_IDS.get(0));
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier
				.of(this.kafka.bootstrapServers(), output, TestRecords.expected((int) committedOffset, 50))
				.verify()
				.assertExactlyOnce();
			assertThat(result.recordsRead()).isEqualTo(committedOffset);
			assertThat(result.openTransactions()).isEmpty();
		}
	}

	@Test
	void poisonRecordOnOnePartitionOfSeveralFailsThePipelineWithExactlyOnceOutput() {
		String input = KafkaTestBroker.uniqueTopicName("poison3-in");
		String output = KafkaTestBroker.uniqueTopicName("poison3-out");
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, 50);
		try (ConfigurableApplicationContext context = start(input, output, "--test.fail-times=1000000",
				"--kafka-stream.recovery.max-attempts=4")) {
			Pipeline pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
			await().atMost(Duration.ofMinutes(1)).until(() -> pipeline.state() == PipelineState.FAILED);
			assertThat(pipeline.failure()).contains("poison record " + FailingHandler.POISON_IDS.get(0));
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.verify();
			assertThat(result.recordsRead()).isLessThan(RECORDS);
			assertThat(result.duplicateCount()).isZero();
			assertThat(result.unexpectedCount()).isZero();
			assertThat(result.orderViolationCount()).isZero();
			assertThat(result.openTransactions()).isEmpty();
		}
	}

	@Test
	void errorThrownByTheHandlerFailsThePipeline() {
		String input = KafkaTestBroker.uniqueTopicName("error-in");
		String output = KafkaTestBroker.uniqueTopicName("error-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, 50);
		try (ConfigurableApplicationContext context = start(input, output, "--test.fail-times=1",
				"--test.fail-with-error=true")) {
			Pipeline pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
			await().atMost(Duration.ofMinutes(1)).until(() -> pipeline.state() == PipelineState.FAILED);
			assertThat(pipeline.failure()).contains("AssertionError", "poison record");
			assertThat(context.getBean(KafkaStreamHealthIndicator.class).health(true).getStatus())
				.isEqualTo(Status.DOWN);
		}
	}

	private ConfigurableApplicationContext start(String input, String output, String... extra) {
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", "failure-it")
			.with("--kafka-stream.checkpoint.interval=200ms", "--kafka-stream.recovery.initial-backoff=50ms",
					"--kafka-stream.recovery.max-backoff=200ms",
					// no retry in place: every failure rolls back (see HandlerErrorPolicyIT)
					"--kafka-stream.sources.in.handler-max-attempts=1")
			.with(extra)
			.run(FailingApplication.class);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class FailingApplication {

		@Bean
		FailingHandler failingHandler(Environment environment) {
			return new FailingHandler(environment.getRequiredProperty("test.fail-times", Integer.class),
					environment.getProperty("test.fail-with-error", Boolean.class, false));
		}

	}

	/**
	 * Throws on each poison record the given number of times before handling it.
	 */
	static class FailingHandler {

		static final List<Long> POISON_IDS = List.of(1_234L, 3_456L);

		private final int failTimes;

		private final boolean failWithError;

		private final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();

		private final AtomicInteger failures = new AtomicInteger();

		FailingHandler(int failTimes, boolean failWithError) {
			this.failTimes = failTimes;
			this.failWithError = failWithError;
		}

		@KafkaStreamHandler(source = "in", sink = "out")
		String handle(String value) {
			long id = TestRecords.parseId(value).orElseThrow();
			if (POISON_IDS.contains(id)
					&& this.attempts.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet() <= this.failTimes) {
				this.failures.incrementAndGet();
				if (this.failWithError) {
					throw new AssertionError("poison record " + id);
				}
				throw new IllegalStateException("poison record " + id);
			}
			return value;
		}

		int failures() {
			return this.failures.get();
		}

	}

}
