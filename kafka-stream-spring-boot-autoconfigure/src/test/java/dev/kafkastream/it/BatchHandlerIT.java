package dev.kafkastream.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.core.BatchRecordFailedException;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
 * A batch handler ({@code @KafkaStreamHandler(batch = true)}) with an exactly-once sink:
 * it returns one output per input record, which keeps the input's key, so the verifier's
 * per-key order and exactly-once checks apply as for a per-record handler. A poison
 * record makes the handler throw, naming it with a {@link BatchRecordFailedException} or
 * failing the whole batch.
 */
class BatchHandlerIT {

	private static final int KEYS = 50;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void batchHandlerWritesEveryRecordOnceThroughARollback() {
		String input = KafkaTestBroker.uniqueTopicName("batch-eos-in");
		String output = KafkaTestBroker.uniqueTopicName("batch-eos-out");
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, 3_000, KEYS);
		long poison = 1_700;
		// fails once, without retries, under the fail policy: the pipeline rolls back the
		// open transaction and recovers from the last checkpoint
		try (ConfigurableApplicationContext context = start(input, output, "fail", List.of(poison), 1, true,
				"--kafka-stream.sources.in.handler-max-attempts=1")) {
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(1));
			assertThat(result.recordsRead()).isEqualTo(inputs.size());
			assertThat(result.openTransactions()).isEmpty();
			BatchHandler handler = context.getBean(BatchHandler.class);
			assertThat(handler.calls()).containsEntry(poison, 2);
			// the records came in batches, not one by one
			assertThat(handler.largestBatch()).isGreaterThan(1);
			Pipeline pipeline = pipeline(context);
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
			assertThat(pipeline.workers()).singleElement()
				.satisfies((worker) -> assertThat(worker.records().handlerCalls()).isLessThan(inputs.size()));
		}
	}

	@Test
	void namedFailedRecordAloneGoesToTheDeadLetterTopic() {
		String input = KafkaTestBroker.uniqueTopicName("batch-dlt-in");
		String output = KafkaTestBroker.uniqueTopicName("batch-dlt-out");
		String deadLetters = input + ".DLT";
		createTopics(3, input, output, deadLetters);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, 2_000, KEYS);
		List<Long> poison = List.of(10L, 1_000L, 1_999L);
		try (ConfigurableApplicationContext context = start(input, output, "dead-letter", poison, Integer.MAX_VALUE,
				true)) {
			List<TestRecords.Input> good = inputs.stream().filter((record) -> !poison.contains(record.id())).toList();
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, good)
				.awaitExactlyOnce(Duration.ofMinutes(1));
			assertThat(result.recordsRead()).isEqualTo(good.size());
			assertThat(result.openTransactions()).isEmpty();
			Map<Long, ConsumerRecord<byte[], byte[]>> letters = awaitDeadLetters(deadLetters, poison.size());
			assertThat(letters).containsOnlyKeys(poison);
			for (long id : poison) {
				ConsumerRecord<byte[], byte[]> letter = letters.get(id);
				assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(inputs.get((int) id).key());
				// the cause the handler named, not the exception naming the record
				assertThat(TopicContent.header(letter, KafkaHeaders.DLT_EXCEPTION_FQCN))
					.isEqualTo(IllegalStateException.class.getName());
				assertThat(TopicContent.header(letter, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
					.isEqualTo("poison record " + id);
			}
			// each poison record: once in its batch, then twice alone (3 attempts)
			assertThat(context.getBean(BatchHandler.class).calls()).containsAllEntriesOf(
					poison.stream().collect(Collectors.toMap((id) -> id, (id) -> 3)));
			Pipeline pipeline = pipeline(context);
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
			assertThat(pipeline.workers()).singleElement().satisfies((worker) -> {
				assertThat(worker.records().deadLetters()).isEqualTo(poison.size());
				assertThat(worker.records().handlerRetries()).isEqualTo(2L * poison.size());
				assertThat(worker.consecutiveFailures()).isZero();
			});
		}
	}

	@Test
	void unnamedFailureSendsTheWholeBatchToTheDeadLetterTopic() {
		String input = KafkaTestBroker.uniqueTopicName("batch-whole-in");
		String output = KafkaTestBroker.uniqueTopicName("batch-whole-out");
		String deadLetters = input + ".DLT";
		createTopics(1, input, output, deadLetters);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, 1_000, KEYS);
		long poison = 500;
		try (ConfigurableApplicationContext context = start(input, output, "dead-letter", List.of(poison),
				Integer.MAX_VALUE, false, "--kafka-stream.sources.in.handler-max-attempts=2")) {
			await().atMost(Duration.ofMinutes(1))
				.until(() -> TopicContent.committedTotal(this.kafka.admin(), input) == inputs.size());
			Set<Long> dead = awaitDeadLetters(deadLetters, 1).keySet();
			int batch = context.getBean(BatchHandler.class).batchOf(poison);
			// the whole batch, every record once
			assertThat(dead).contains(poison).hasSize(batch);
			List<TestRecords.Input> good = inputs.stream().filter((record) -> !dead.contains(record.id())).toList();
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, good)
				.awaitExactlyOnce(Duration.ofSeconds(30));
			assertThat(result.recordsRead()).isEqualTo(good.size());
			assertThat(TopicContent.readCommitted(this.kafka.bootstrapServers(), deadLetters).records())
				.hasSize(batch);
		}
	}

	@Test
	void corruptRecordIsDeadLetteredBeforeTheBatchIsBuilt() {
		String input = KafkaTestBroker.uniqueTopicName("batch-corrupt-in");
		String output = KafkaTestBroker.uniqueTopicName("batch-corrupt-out");
		String deadLetters = input + ".DLT";
		createTopics(1, input, output, deadLetters);
		long corrupt = 500;
		produceWithCorruptRecord(input, 1_000, corrupt);
		try (ConfigurableApplicationContext context = start(input, output, "fail", List.of(), 0, true,
				"--kafka-stream.sources.in.value-format=json",
				"--kafka-stream.sources.in.on-deserialization-error=dead-letter")) {
			List<TestRecords.Input> good = TestRecords.expected(1_000, KEYS)
				.stream()
				.filter((record) -> record.id() != corrupt)
				.toList();
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, good)
				.awaitExactlyOnce(Duration.ofMinutes(1));
			assertThat(result.recordsRead()).isEqualTo(good.size());
			assertThat(awaitDeadLetters(deadLetters, 1)).containsOnlyKeys(corrupt);
			// the handler never saw the corrupt record, and every other one once
			assertThat(context.getBean(BatchHandler.class).calls()).doesNotContainKey(corrupt)
				.hasSize(good.size())
				.allSatisfy((id, calls) -> assertThat(calls).isOne());
		}
	}

	/**
	 * Produces records {@code 0} to {@code count - 1} as {@link TestRecords} does, their
	 * values JSON numbers, the value of one of them not JSON: its id, then an unclosed
	 * object.
	 */
	private void produceWithCorruptRecord(String topic, int count, long corrupt) {
		Map<String, Object> properties = TestRecords.producerProperties(this.kafka.bootstrapServers());
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties)) {
			for (long id = 0; id < count; id++) {
				String value = (id != corrupt) ? TestRecords.value(id) : id + "|{oops";
				producer.send(new ProducerRecord<>(topic, TestRecords.key(id, KEYS), value.getBytes(StandardCharsets.UTF_8)));
			}
			producer.flush();
		}
	}

	/**
	 * Creates an input, an output and a dead-letter topic, the dead-letter one with one
	 * partition.
	 */
	private void createTopics(int partitions, String input, String output, String deadLetters) {
		this.kafka.createTopic(input, partitions);
		this.kafka.createTopic(output, partitions);
		this.kafka.createTopic(deadLetters, 1);
	}

	private Map<Long, ConsumerRecord<byte[], byte[]>> awaitDeadLetters(String topic, int atLeast) {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			TopicContent content = TopicContent.readCommitted(this.kafka.bootstrapServers(), topic);
			assertThat(content.openTransactions()).isEmpty();
			assertThat(content.records()).hasSizeGreaterThanOrEqualTo(atLeast);
		});
		Map<Long, ConsumerRecord<byte[], byte[]>> byId = new HashMap<>();
		for (ConsumerRecord<byte[], byte[]> letter : TopicContent.readCommitted(this.kafka.bootstrapServers(), topic)
			.records()) {
			long id = TestRecords.parseId(new String(letter.value(), StandardCharsets.UTF_8)).orElseThrow();
			assertThat(byId.put(id, letter)).as("second dead letter of %s", id).isNull();
		}
		return byId;
	}

	private ConfigurableApplicationContext start(String input, String output, String policy, List<Long> poison,
			int failTimes, boolean named, String... extra) {
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", "batch-it")
			.with("--kafka-stream.checkpoint.interval=200ms", "--kafka-stream.recovery.initial-backoff=50ms",
					"--kafka-stream.recovery.max-backoff=200ms", "--kafka-stream.sources.in.handler-backoff=20ms",
					"--kafka-stream.sources.in.handler-max-backoff=100ms",
					"--kafka-stream.sources.in.on-handler-error=" + policy,
					"--test.poison-ids=" + poison.stream().map(String::valueOf).collect(Collectors.joining(",")),
					"--test.fail-times=" + failTimes, "--test.named=" + named)
			.with(extra)
			.run(BatchApplication.class);
	}

	private static Pipeline pipeline(ConfigurableApplicationContext context) {
		return context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BatchApplication {

		@Bean
		BatchHandler batchHandler(Environment environment) {
			Set<Long> poison = Arrays.stream(environment.getRequiredProperty("test.poison-ids").split(","))
				.filter((id) -> !id.isBlank())
				.map(Long::valueOf)
				.collect(Collectors.toSet());
			return new BatchHandler(poison, environment.getRequiredProperty("test.fail-times", Integer.class),
					environment.getRequiredProperty("test.named", Boolean.class));
		}

	}

	/**
	 * Writes each value on, one output per input, counting the calls by input id. On a
	 * poison record it throws, the given number of times: a
	 * {@link BatchRecordFailedException} naming the record, or the cause alone.
	 */
	static class BatchHandler {

		private final Set<Long> poison;

		private final int failTimes;

		private final boolean named;

		private final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();

		private final Map<Long, Integer> batchSizes = new ConcurrentHashMap<>();

		private final AtomicInteger largestBatch = new AtomicInteger();

		BatchHandler(Set<Long> poison, int failTimes, boolean named) {
			this.poison = poison;
			this.failTimes = failTimes;
			this.named = named;
		}

		@KafkaStreamHandler(source = "in", sink = "out", batch = true)
		List<String> handle(List<String> values) {
			this.largestBatch.accumulateAndGet(values.size(), Math::max);
			List<String> outputs = new ArrayList<>(values.size());
			for (int i = 0; i < values.size(); i++) {
				String value = values.get(i);
				long id = TestRecords.parseId(value).orElseThrow();
				int call = this.calls.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
				this.batchSizes.put(id, values.size());
				if (this.poison.contains(id) && call <= this.failTimes) {
					IllegalStateException failure = new IllegalStateException("poison record " + id);
					throw this.named ? new BatchRecordFailedException(i, failure) : failure;
				}
				outputs.add(value);
			}
			return outputs;
		}

		Map<Long, Integer> calls() {
			Map<Long, Integer> calls = new HashMap<>();
			this.calls.forEach((id, count) -> calls.put(id, count.get()));
			return calls;
		}

		int largestBatch() {
			return this.largestBatch.get();
		}

		/**
		 * The size of the last batch a record was handled in.
		 */
		int batchOf(long id) {
			return this.batchSizes.get(id);
		}

	}

}
