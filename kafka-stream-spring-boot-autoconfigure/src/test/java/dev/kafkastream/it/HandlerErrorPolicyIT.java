package dev.kafkastream.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.support.KafkaHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code on-handler-error} policies with an exactly-once sink. The handler writes each
 * input value on; on a poison record it first emits the value and then throws, so an
 * attempt that fails has already emitted something that must never reach the output.
 */
class HandlerErrorPolicyIT {

	private static final int KEYS = 50;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void transientFailuresAreRetriedInPlaceWithoutRollingBack() {
		String input = KafkaTestBroker.uniqueTopicName("herr-transient-in");
		String output = KafkaTestBroker.uniqueTopicName("herr-transient-out");
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, 2_000, KEYS);
		List<Long> poison = List.of(123L, 777L, 1_500L);
		try (ConfigurableApplicationContext context = start(input, output, "fail", poison, 2)) {
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(1));
			assertThat(result.openTransactions()).isEmpty();
			Map<Long, Integer> calls = context.getBean(PoisonHandler.class).calls();
			// no rollback: every other record, before and after a poison one, was handled once
			Map<Long, Integer> expected = new HashMap<>();
			inputs.forEach((record) -> expected.put(record.id(), poison.contains(record.id()) ? 3 : 1));
			assertThat(calls).isEqualTo(expected);
			Pipeline pipeline = pipeline(context);
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
			assertThat(pipeline.workers()).singleElement().satisfies((worker) -> {
				assertThat(worker.records().handlerRetries()).isEqualTo(2L * poison.size());
				assertThat(worker.consecutiveFailures()).isZero();
				assertThat(worker.lastFailure()).isNull();
				assertThat(worker.records().skippedOnHandlerError()).isZero();
				assertThat(worker.records().deadLetters()).isZero();
			});
			assertThat(runtime(context).checkpoints().counts().failed()).isZero();
		}
	}

	@Test
	void failRollsBackAfterTheRetriesAndFailsThePipelineCommittingNothingPastTheRecord() throws Exception {
		String input = KafkaTestBroker.uniqueTopicName("herr-fail-in");
		String output = KafkaTestBroker.uniqueTopicName("herr-fail-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		TestRecords.produce(this.kafka.bootstrapServers(), input, 1_000, KEYS);
		long poison = 600;
		try (ConfigurableApplicationContext context = start(input, output, "fail", List.of(poison), Integer.MAX_VALUE,
				"--kafka-stream.recovery.max-attempts=2")) {
			Pipeline pipeline = pipeline(context);
			await().atMost(Duration.ofMinutes(1)).until(() -> pipeline.state() == PipelineState.FAILED);
			assertThat(pipeline.failure()).contains("The handler failed on the record at " + input + "-0@" + poison,
					"poison record " + poison);
			// 3 attempts in place, then a rollback, 3 more, and the second failure fails
			assertThat(context.getBean(PoisonHandler.class).calls()).containsEntry(poison, 6);
			long committed = TopicContent.committedOffsets(this.kafka.admin(), input).getOrDefault(new TopicPartition(input, 0), 0L);
			assertThat(committed).isLessThanOrEqualTo(poison);
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier
				.of(this.kafka.bootstrapServers(), output, TestRecords.expected((int) committed, KEYS))
				.verify()
				.assertExactlyOnce();
			assertThat(result.recordsRead()).isEqualTo(committed);
			assertThat(result.openTransactions()).isEmpty();
		}
	}

	@Test
	void skipLeavesOutTheRecordsTheHandlerFailsOnAndCountsThem() {
		String input = KafkaTestBroker.uniqueTopicName("herr-skip-in");
		String output = KafkaTestBroker.uniqueTopicName("herr-skip-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, 1_000, KEYS);
		List<Long> poison = List.of(0L, 400L, 401L, 999L);
		try (ConfigurableApplicationContext context = start(input, output, "skip", poison, Integer.MAX_VALUE,
				"--kafka-stream.sources.in.handler-max-attempts=2")) {
			List<TestRecords.Input> good = inputs.stream().filter((record) -> !poison.contains(record.id())).toList();
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, good)
				.awaitExactlyOnce(Duration.ofMinutes(1));
			assertThat(result.recordsRead()).isEqualTo(good.size());
			assertThat(result.openTransactions()).isEmpty();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> TopicContent.committedOffsets(this.kafka.admin(), input).equals(Map.of(new TopicPartition(input, 0), 1_000L)));
			Pipeline pipeline = pipeline(context);
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
			assertThat(pipeline.workers()).singleElement().satisfies((worker) -> {
				assertThat(worker.records().skippedOnHandlerError()).isEqualTo(poison.size());
				assertThat(worker.records().handlerRetries()).isEqualTo(poison.size());
				assertThat(worker.records().skippedRecords()).isZero();
				assertThat(worker.records().deadLetters()).isZero();
				assertThat(worker.consecutiveFailures()).isZero();
			});
			Map<Long, Integer> expected = new HashMap<>();
			inputs.forEach((record) -> expected.put(record.id(), poison.contains(record.id()) ? 2 : 1));
			assertThat(context.getBean(PoisonHandler.class).calls()).isEqualTo(expected);
		}
	}

	@Test
	void deadLetterWritesTheRecordOnceWithItsCauseAndOrigin() {
		String input = KafkaTestBroker.uniqueTopicName("herr-dlt-in");
		String output = KafkaTestBroker.uniqueTopicName("herr-dlt-out");
		String deadLetters = input + ".DLT";
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		this.kafka.createTopic(deadLetters, 1);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, 2_000, KEYS);
		List<Long> poison = List.of(10L, 1_000L, 1_999L);
		try (ConfigurableApplicationContext context = start(input, output, "dead-letter", poison,
				Integer.MAX_VALUE)) {
			List<TestRecords.Input> good = inputs.stream().filter((record) -> !poison.contains(record.id())).toList();
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, good)
				.awaitExactlyOnce(Duration.ofMinutes(1));
			assertThat(result.recordsRead()).isEqualTo(good.size());
			assertThat(result.openTransactions()).isEmpty();
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				assertThat(TopicContent.readCommitted(this.kafka.bootstrapServers(), deadLetters).openTransactions()).isEmpty();
				assertThat(TopicContent.readCommitted(this.kafka.bootstrapServers(), deadLetters).records()).hasSize(poison.size());
			});
			Map<Long, ConsumerRecord<byte[], byte[]>> byId = new HashMap<>();
			for (ConsumerRecord<byte[], byte[]> deadLetter : TopicContent.readCommitted(this.kafka.bootstrapServers(), deadLetters).records()) {
				String value = new String(deadLetter.value(), StandardCharsets.UTF_8);
				long id = TestRecords.parseId(value).orElseThrow();
				assertThat(byId.put(id, deadLetter)).as("second dead letter of %s", id).isNull();
			}
			assertThat(byId).containsOnlyKeys(poison);
			Set<String> origins = new java.util.HashSet<>();
			for (long id : poison) {
				ConsumerRecord<byte[], byte[]> deadLetter = byId.get(id);
				TestRecords.Input record = inputs.get((int) id);
				assertThat(new String(deadLetter.key(), StandardCharsets.UTF_8)).isEqualTo(record.key());
				assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo(record.value());
				assertThat(TopicContent.header(deadLetter, KafkaHeaders.DLT_EXCEPTION_FQCN))
					.isEqualTo(IllegalStateException.class.getName());
				assertThat(TopicContent.header(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
					.isEqualTo("poison record " + id);
				assertThat(TopicContent.header(deadLetter, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).isEqualTo(input);
				DeadLetterOrigin origin = DeadLetterOrigin.of(deadLetter);
				assertThat(origin.topic()).isEqualTo(input);
				origins.add(origin.position());
			}
			assertThat(origins).hasSize(poison.size());
			Pipeline pipeline = pipeline(context);
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
			assertThat(pipeline.workers()).singleElement().satisfies((worker) -> {
				assertThat(worker.records().deadLetters()).isEqualTo(poison.size());
				assertThat(worker.records().handlerRetries()).isEqualTo(2L * poison.size());
				assertThat(worker.records().skippedOnHandlerError()).isZero();
				assertThat(worker.consecutiveFailures()).isZero();
			});
			assertThat(context.getBean(PoisonHandler.class).calls()).containsAllEntriesOf(
					poison.stream().collect(Collectors.toMap((id) -> id, (id) -> 3)));
		}
	}

	/**
	 * The retries of one record wait 16 s in all, far longer than the sink's 3 s
	 * transaction timeout: the broker aborts a transaction left open that long. The
	 * worker commits the records before the failing one while it waits, so the record is
	 * skipped after its retries and everything else is committed exactly once.
	 */
	@Test
	void retriesThatWaitLongerThanTheTransactionTimeoutEndInTheErrorPolicy() throws Exception {
		String input = KafkaTestBroker.uniqueTopicName("herr-long-in");
		String output = KafkaTestBroker.uniqueTopicName("herr-long-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, 300, KEYS);
		long poison = 100;
		try (ConfigurableApplicationContext context = start(input, output, "skip", List.of(poison), Integer.MAX_VALUE,
				"--kafka-stream.sinks.out.transaction-timeout=3s", "--kafka-stream.checkpoint.timeout=1s",
				"--kafka-stream.sources.in.handler-max-attempts=3", "--kafka-stream.sources.in.handler-backoff=8s",
				"--kafka-stream.sources.in.handler-max-backoff=8s")) {
			List<TestRecords.Input> good = inputs.stream().filter((record) -> record.id() != poison).toList();
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, good)
				.awaitExactlyOnce(Duration.ofSeconds(60));
			assertThat(result.openTransactions()).isEmpty();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> TopicContent.committedOffsets(this.kafka.admin(), input)
					.equals(Map.of(new TopicPartition(input, 0), 300L)));
			assertThat(context.getBean(PoisonHandler.class).calls()).containsEntry(poison, 3);
			assertThat(pipeline(context).workers()).singleElement().satisfies((worker) -> {
				assertThat(worker.records().skippedOnHandlerError()).isEqualTo(1);
				assertThat(worker.consecutiveFailures()).isZero();
			});
		}
	}

	@Test
	void stopInterruptsTheBackoffOfARetry() throws Exception {
		String input = KafkaTestBroker.uniqueTopicName("herr-stop-in");
		String output = KafkaTestBroker.uniqueTopicName("herr-stop-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		TestRecords.produce(this.kafka.bootstrapServers(), input, 300, KEYS);
		long poison = 100;
		try (ConfigurableApplicationContext context = start(input, output, "skip", List.of(poison), Integer.MAX_VALUE,
				"--kafka-stream.sources.in.handler-max-attempts=2", "--kafka-stream.sources.in.handler-backoff=1m",
				"--kafka-stream.sources.in.handler-max-backoff=1m")) {
			Pipeline pipeline = pipeline(context);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> pipeline.workers().stream().mapToLong((worker) -> worker.records().handlerRetries()).sum() == 1);
			List<Thread> workers = Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((thread) -> thread.getName().equals("kafka-stream-in-0") && thread.isAlive())
				.toList();
			assertThat(workers).hasSize(1);
			Thread worker = workers.get(0);
			await().atMost(Duration.ofSeconds(10)).until(() -> worker.getState() == Thread.State.TIMED_WAITING);
			runtime(context).stop(Duration.ofSeconds(1));
			assertThat(pipeline.state()).isEqualTo(PipelineState.STOPPED);
			// the worker waited for a minute: the stop ended its wait and its thread
			worker.join(Duration.ofSeconds(10).toMillis());
			assertThat(worker.isAlive()).isFalse();
			// not called again after the interrupted wait, and not skipped
			assertThat(context.getBean(PoisonHandler.class).calls()).containsEntry(poison, 1);
			long committed = TopicContent.committedOffsets(this.kafka.admin(), input).getOrDefault(new TopicPartition(input, 0), 0L);
			assertThat(committed).isLessThanOrEqualTo(poison);
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier
				.of(this.kafka.bootstrapServers(), output, TestRecords.expected((int) committed, KEYS))
				.verify()
				.assertExactlyOnce();
			assertThat(result.openTransactions()).isEmpty();
		}
	}

	private ConfigurableApplicationContext start(String input, String output, String policy, List<Long> poison,
			int failTimes, String... extra) {
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", "herr-it")
			.with("--kafka-stream.checkpoint.interval=200ms", "--kafka-stream.recovery.initial-backoff=50ms",
					"--kafka-stream.recovery.max-backoff=200ms", "--kafka-stream.sources.in.handler-backoff=20ms",
					"--kafka-stream.sources.in.handler-max-backoff=100ms",
					"--kafka-stream.sources.in.on-handler-error=" + policy,
					"--test.poison-ids=" + poison.stream().map(String::valueOf).collect(Collectors.joining(",")),
					"--test.fail-times=" + failTimes)
			.with(extra)
			.run(PoisonApplication.class);
	}

	private static KafkaStreamRuntime runtime(ConfigurableApplicationContext context) {
		return context.getBean(KafkaStreamLifecycle.class).getRuntime();
	}

	private static Pipeline pipeline(ConfigurableApplicationContext context) {
		return runtime(context).pipeline("in").orElseThrow();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class PoisonApplication {

		@Bean
		PoisonHandler poisonHandler(Environment environment) {
			String ids = environment.getRequiredProperty("test.poison-ids");
			Set<Long> poison = Arrays.stream(ids.split(","))
				.filter((id) -> !id.isBlank())
				.map(Long::valueOf)
				.collect(Collectors.toSet());
			return new PoisonHandler(poison, environment.getRequiredProperty("test.fail-times", Integer.class));
		}

	}

	/**
	 * Writes each value on, counting its calls by input id. On a poison record it emits
	 * the value and then throws, the given number of times.
	 */
	static class PoisonHandler {

		private static final String THROW = "<throw>";

		private final Set<Long> poison;

		private final int failTimes;

		private final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();

		PoisonHandler(Set<Long> poison, int failTimes) {
			this.poison = poison;
			this.failTimes = failTimes;
		}

		@KafkaStreamHandler(source = "in", sink = "out")
		Stream<String> handle(String value) {
			long id = TestRecords.parseId(value).orElseThrow();
			int call = this.calls.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
			boolean fail = this.poison.contains(id) && call <= this.failTimes;
			// emitted one by one: the value is out before the attempt throws
			return Stream.of(value, THROW).filter((element) -> {
				if (!THROW.equals(element)) {
					return true;
				}
				if (fail) {
					throw new IllegalStateException("poison record " + id);
				}
				return false;
			});
		}

		Map<Long, Integer> calls() {
			Map<Long, Integer> calls = new HashMap<>();
			this.calls.forEach((id, count) -> calls.put(id, count.get()));
			return calls;
		}

	}

}
