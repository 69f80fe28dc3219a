package dev.kafkastream.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.support.KafkaHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records whose value cannot be deserialised, under each
 * {@code on-deserialization-error} policy, with an exactly-once sink. The source reads
 * 8-byte longs; a few records hold 3 bytes instead. Input record {@code id} has key
 * {@code key-<id % 7>} and, when good, the value {@code id}, which the handler writes on
 * as text, so the output follows the {@link TestRecords} convention.
 */
class CorruptRecordIT {

	private static final int RECORDS = 300;

	private static final int KEYS = 7;

	/**
	 * Ids of the corrupt records: the last record of the topic is one of them.
	 */
	private static final List<Long> CORRUPT_IDS = List.of(100L, 150L, 151L, 299L);

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void failStopsThePipelineAtTheCorruptRecordAndCommitsEverythingBeforeIt() throws Exception {
		String input = KafkaTestBroker.uniqueTopicName("corrupt-fail-in");
		String output = KafkaTestBroker.uniqueTopicName("corrupt-fail-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		List<Produced> produced = produce(input);
		long badOffset = produced.get(CORRUPT_IDS.get(0).intValue()).offset();
		assertThat(badOffset).isEqualTo(CORRUPT_IDS.get(0));
		try (ConfigurableApplicationContext context = start(input, output, "fail")) {
			Pipeline pipeline = pipeline(context);
			await().atMost(Duration.ofMinutes(1)).until(() -> pipeline.state() == PipelineState.FAILED);
			assertThat(pipeline.failure()).contains("CorruptRecordException", input + "-0@" + badOffset);
			assertThat(context.getBean(KafkaStreamHealthIndicator.class).health(true).getStatus())
				.isEqualTo(Status.DOWN);
			assertThat(TopicContent.committedOffsets(this.kafka.admin(), input)).containsExactly(Map.entry(new TopicPartition(input, 0), badOffset));
			List<TestRecords.Input> before = good(produced).stream().filter((record) -> record.id() < badOffset)
				.map(Produced::input)
				.toList();
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, before)
				.awaitExactlyOnce(Duration.ofSeconds(30));
			assertThat(result.recordsRead()).isEqualTo(badOffset);
			assertThat(result.openTransactions()).isEmpty();
			// no retry: each record before the bad one was handled once, none after it ever
			LongHandler handler = context.getBean(LongHandler.class);
			Map<Long, Integer> once = new HashMap<>();
			before.forEach((record) -> once.put(record.id(), 1));
			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(10))
				.until(() -> handler.calls().equals(once) && pipeline.state() == PipelineState.FAILED);
			assertThat(pipeline.workers()).singleElement()
				.satisfies((worker) -> assertThat(worker.lastFailure()).contains(input + "-0@" + badOffset));
		}
	}

	@Test
	void failOnTheFirstRecordReadFromALatestStartLeavesTheCommittedOffsetAtIt() throws Exception {
		String input = KafkaTestBroker.uniqueTopicName("corrupt-first-in");
		String output = KafkaTestBroker.uniqueTopicName("corrupt-first-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		TopicPartition partition = new TopicPartition(input, 0);
		produce(input, List.of());
		try (ConfigurableApplicationContext context = start(input, output, "fail",
				"--kafka-stream.sources.in.starting-offsets=latest")) {
			Pipeline pipeline = pipeline(context);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> pipeline.workers().get(0).positions().get(partition), (position) -> position != null);
			assertThat(pipeline.workers().get(0).positions()).containsEntry(partition, (long) RECORDS);
			List<Produced> after = produce(input, List.of(0L));
			long badOffset = after.get(0).offset();
			assertThat(badOffset).isEqualTo(RECORDS);
			await().atMost(Duration.ofMinutes(1)).until(() -> pipeline.state() == PipelineState.FAILED);
			assertThat(pipeline.failure()).contains(input + "-0@" + badOffset);
			assertThat(context.getBean(LongHandler.class).calls()).isEmpty();
			// the checkpoint must hold the bad record's position: the partition has no
			// other, so a restart would start at the latest offset again and skip the bad
			// record and every record written after it
			assertThat(TopicContent.committedOffsets(this.kafka.admin(), input)).containsExactly(Map.entry(partition, badOffset));
		}
	}

	@Test
	void skipLeavesOutCorruptRecordsAndCountsThem() {
		String input = KafkaTestBroker.uniqueTopicName("corrupt-skip-in");
		String output = KafkaTestBroker.uniqueTopicName("corrupt-skip-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		List<Produced> produced = produce(input);
		try (ConfigurableApplicationContext context = start(input, output, "skip")) {
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier
				.of(this.kafka.bootstrapServers(), output, inputs(good(produced)))
				.awaitExactlyOnce(Duration.ofMinutes(1));
			assertThat(result.recordsRead()).isEqualTo(RECORDS - CORRUPT_IDS.size());
			Pipeline pipeline = pipeline(context);
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
			assertThat(pipeline.workers()).singleElement().satisfies((worker) -> {
				assertThat(worker.records().skippedRecords()).isEqualTo(CORRUPT_IDS.size());
				assertThat(worker.records().deadLetters()).isZero();
			});
			await().atMost(Duration.ofSeconds(30))
				.until(() -> TopicContent.committedOffsets(this.kafka.admin(), input)
					.equals(Map.of(new TopicPartition(input, 0), (long) RECORDS)));
			assertThat(context.getBean(LongHandler.class).calls()).doesNotContainKeys(CORRUPT_IDS.toArray(Long[]::new))
				.hasSize(RECORDS - CORRUPT_IDS.size());
		}
	}

	@Test
	void deadLetterWritesEachCorruptRecordOnceToTheDefaultDeadLetterTopic() {
		String input = KafkaTestBroker.uniqueTopicName("corrupt-dlt-in");
		String output = KafkaTestBroker.uniqueTopicName("corrupt-dlt-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		this.kafka.createTopic(input + ".DLT", 1);
		List<Produced> produced = produce(input);
		try (ConfigurableApplicationContext context = start(input, output, "dead-letter")) {
			assertDeadLettered(context, input, output, input + ".DLT", produced);
		}
	}

	@Test
	void deadLetterFromSeveralPartitionsToAConfiguredDeadLetterTopic() {
		String input = KafkaTestBroker.uniqueTopicName("corrupt-dlt3-in");
		String output = KafkaTestBroker.uniqueTopicName("corrupt-dlt3-out");
		String deadLetters = KafkaTestBroker.uniqueTopicName("corrupt-dlt3-dead");
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		this.kafka.createTopic(deadLetters, 2);
		List<Produced> produced = produce(input);
		assertThat(corrupt(produced).stream().map(Produced::partition).distinct()).as("partitions of corrupt records")
			.hasSizeGreaterThan(1);
		try (ConfigurableApplicationContext context = start(input, output, "dead-letter",
				"--kafka-stream.sources.in.dead-letter-topic=" + deadLetters)) {
			assertDeadLettered(context, input, output, deadLetters, produced);
		}
	}

	@Test
	void deadLetterTopicMatchingTheTopicPatternIsNotReadBack() {
		String input = KafkaTestBroker.uniqueTopicName("corrupt-pattern-in");
		String output = KafkaTestBroker.uniqueTopicName("corrupt-pattern-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		this.kafka.createTopic(input + ".DLT", 1);
		// where a dead letter of a dead letter would go
		this.kafka.createTopic(input + ".DLT.DLT", 1);
		List<Produced> produced = produce(input);
		// 'orders-.*' style: the default dead-letter topic '<topic>.DLT' matches it too
		try (ConfigurableApplicationContext context = start(input, output, "dead-letter",
				"--kafka-stream.sources.in.topics=", "--kafka-stream.sources.in.topic-pattern=" + input + ".*",
				"--kafka-stream.sinks.out.properties.max.block.ms=5000")) {
			assertDeadLettered(context, input, output, input + ".DLT", produced);
			Pipeline pipeline = pipeline(context);
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
				long deadLetters = pipeline.workers().stream().mapToLong((worker) -> worker.records().deadLetters()).sum();
				return deadLetters == CORRUPT_IDS.size() && TopicContent.readCommitted(this.kafka.bootstrapServers(), input + ".DLT.DLT").highWatermarks() == 0;
			});
		}
	}

	private void assertDeadLettered(ConfigurableApplicationContext context, String input, String output,
			String deadLetterTopic, List<Produced> produced) {
		ExactlyOnceVerifier.Result result = ExactlyOnceVerifier
			.of(this.kafka.bootstrapServers(), output, inputs(good(produced)))
			.awaitExactlyOnce(Duration.ofMinutes(1));
		assertThat(result.recordsRead()).isEqualTo(RECORDS - CORRUPT_IDS.size());
		assertThat(result.openTransactions()).isEmpty();
		List<Produced> corrupt = corrupt(produced);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			TopicContent content = TopicContent.readCommitted(this.kafka.bootstrapServers(), deadLetterTopic);
			assertThat(content.openTransactions()).isEmpty();
			assertThat(content.records()).hasSize(corrupt.size());
		});
		List<ConsumerRecord<byte[], byte[]>> deadLetters = TopicContent.readCommitted(this.kafka.bootstrapServers(), deadLetterTopic).records();
		Map<String, ConsumerRecord<byte[], byte[]>> byOrigin = new HashMap<>();
		for (ConsumerRecord<byte[], byte[]> deadLetter : deadLetters) {
			String origin = DeadLetterOrigin.of(deadLetter).position();
			assertThat(byOrigin.put(origin, deadLetter)).as("second dead letter of %s", origin).isNull();
		}
		for (Produced record : corrupt) {
			ConsumerRecord<byte[], byte[]> deadLetter = byOrigin.get(record.partition() + "@" + record.offset());
			assertThat(deadLetter).as("dead letter of record %s", record.id()).isNotNull();
			assertThat(deadLetter.value()).isEqualTo(record.value());
			assertThat(new String(deadLetter.key(), StandardCharsets.UTF_8)).isEqualTo(record.key());
			assertThat(TopicContent.header(deadLetter, KafkaHeaders.DLT_EXCEPTION_FQCN))
				.isEqualTo(SerializationException.class.getName());
			assertThat(TopicContent.header(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("LongDeserializer");
			assertThat(DeadLetterOrigin.of(deadLetter))
				.isEqualTo(new DeadLetterOrigin(input, record.partition(), record.offset()));
			assertThat(TopicContent.header(deadLetter, "test.id")).as("the record's own header")
				.isEqualTo(String.valueOf(record.id()));
		}
		Pipeline pipeline = pipeline(context);
		await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
		assertThat(pipeline.workers().stream().mapToLong((worker) -> worker.records().deadLetters()).sum())
			.as("dead letters written (one read back and written again counts twice)")
			.isEqualTo(CORRUPT_IDS.size());
		assertThat(pipeline.workers().stream().mapToLong((worker) -> worker.records().skippedRecords()).sum()).isZero();
	}

	private ConfigurableApplicationContext start(String input, String output, String policy, String... extra) {
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", "corrupt-it")
			.with("--kafka-stream.checkpoint.interval=200ms", "--kafka-stream.sources.in.value-format=long",
					"--kafka-stream.sources.in.on-deserialization-error=" + policy)
			.with(extra)
			.run(CorruptRecordApplication.class);
	}

	private static Pipeline pipeline(ConfigurableApplicationContext context) {
		return context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
	}

	/**
	 * Produces the records with the ids of {@link #CORRUPT_IDS} corrupt.
	 */
	private List<Produced> produce(String topic) {
		return produce(topic, CORRUPT_IDS);
	}

	/**
	 * Produces {@link #RECORDS} records in id order with one idempotent producer: good
	 * records as 8-byte longs, corrupt ones as 3 bytes that name their id, each with a
	 * header of its own.
	 */
	private List<Produced> produce(String topic, List<Long> corruptIds) {
		Map<String, Object> properties = TestRecords.producerProperties(this.kafka.bootstrapServers());
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		List<Future<RecordMetadata>> sent = new ArrayList<>();
		List<byte[]> values = new ArrayList<>();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties);
				LongSerializer longs = new LongSerializer()) {
			for (long id = 0; id < RECORDS; id++) {
				boolean corrupt = corruptIds.contains(id);
				byte[] value = corrupt ? new byte[] { (byte) 0xEE, (byte) (id >> 8), (byte) id }
						: longs.serialize(topic, id);
				RecordHeaders headers = new RecordHeaders();
				headers.add("test.id", String.valueOf(id).getBytes(StandardCharsets.UTF_8));
				values.add(value);
				sent.add(producer.send(new ProducerRecord<>(topic, null, TestRecords.key(id, KEYS), value, headers)));
			}
			producer.flush();
			List<Produced> produced = new ArrayList<>();
			for (int id = 0; id < RECORDS; id++) {
				RecordMetadata metadata = sent.get(id).get(30, TimeUnit.SECONDS);
				produced.add(new Produced(id, TestRecords.key(id, KEYS), values.get(id), corruptIds.contains((long) id),
						metadata.partition(), metadata.offset()));
			}
			return produced;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Producing to " + topic + " failed", ex);
		}
	}

	private static List<Produced> good(List<Produced> produced) {
		return produced.stream().filter((record) -> !record.corrupt()).toList();
	}

	private static List<Produced> corrupt(List<Produced> produced) {
		return produced.stream().filter(Produced::corrupt).toList();
	}

	private static List<TestRecords.Input> inputs(List<Produced> produced) {
		return produced.stream().map(Produced::input).toList();
	}

	/**
	 * A record produced to the input topic, and where it landed.
	 */
	record Produced(long id, String key, byte[] value, boolean corrupt, int partition, long offset) {

		TestRecords.Input input() {
			return new TestRecords.Input(this.id, this.key, TestRecords.value(this.id));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CorruptRecordApplication {

		@Bean
		LongHandler longHandler() {
			return new LongHandler();
		}

	}

	/**
	 * Writes each long on as text, counting how often it saw each.
	 */
	static class LongHandler {

		private final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();

		@KafkaStreamHandler(source = "in", sink = "out")
		String handle(Long value) {
			this.calls.computeIfAbsent(value, (key) -> new AtomicInteger()).incrementAndGet();
			return String.valueOf(value);
		}

		Map<Long, Integer> calls() {
			Map<Long, Integer> calls = new HashMap<>();
			this.calls.forEach((id, count) -> calls.put(id, count.get()));
			return calls;
		}

	}

}
