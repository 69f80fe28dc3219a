package dev.kafkastream.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Exercises {@link ExactlyOnceVerifier} and {@link TestRecords} against the shared embedded broker: a tiny
 * kafka-clients read-process-write transactional loop must pass, fabricated faulty outputs must fail.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExactlyOnceVerifierIT {

	private static final Duration AWAIT = Duration.ofSeconds(30);

	private final KafkaTestBroker kafka = KafkaTestBroker.embedded();

	@Test
	void transactionalCopyLoopIsExactlyOnce() throws Exception {
		String in = KafkaTestBroker.uniqueTopicName("eos-in");
		String out = KafkaTestBroker.uniqueTopicName("eos-out");
		this.kafka.createTopic(in, 3);
		this.kafka.createTopic(out, 3);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), in, 3000, 7);

		String group = "copier-" + in;
		copyTransactionally(in, out, group, inputs.size());

		ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), out, inputs)
			.awaitExactlyOnce(AWAIT);
		assertThat(result.recordsRead()).isEqualTo(3000);
		assertThat(result.duplicateCount()).isZero();
		assertThat(result.openTransactions()).isEmpty();
		assertThat(result.toString()).contains("exactly-once: OK");
		// the consumed offsets were committed in the same transactions
		Map<TopicPartition, OffsetAndMetadata> committed = this.kafka.admin()
			.listConsumerGroupOffsets(group)
			.partitionsToOffsetAndMetadata()
			.get(10, TimeUnit.SECONDS);
		assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(3000);
	}

	@Test
	void duplicateFailsExactlyOnceButPassesAtLeastOnce() {
		String out = KafkaTestBroker.uniqueTopicName("dup-out");
		this.kafka.createTopic(out, 2);
		List<TestRecords.Input> expected = TestRecords.expected(100, 5);
		List<TestRecords.Input> output = new ArrayList<>(expected);
		output.add(expected.get(42));
		TestRecords.send(this.kafka.bootstrapServers(), out, output);

		ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), out, expected)
			.verify();

		assertThat(result.duplicateIdCount()).isEqualTo(1);
		assertThat(result.duplicateCount()).isEqualTo(1);
		assertThat(result.duplicateIds()).containsExactly(42L);
		assertThat(result.missingCount()).isZero();
		assertThat(result.isExactlyOnce()).isFalse();
		assertThatThrownBy(result::assertExactlyOnce).isInstanceOf(AssertionError.class)
			.hasMessageContaining("duplicate ids: 1 (1 extra copies), e.g. 42 x2");
		result.assertAtLeastOnce();
	}

	@Test
	void missingIdsFailBothModes() {
		String out = KafkaTestBroker.uniqueTopicName("missing-out");
		this.kafka.createTopic(out, 1);
		List<TestRecords.Input> expected = TestRecords.expected(50, 3);
		List<TestRecords.Input> output = expected.stream().filter(i -> i.id() != 7 && i.id() != 30).toList();
		TestRecords.send(this.kafka.bootstrapServers(), out, output);

		ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), out, expected)
			.verify();

		assertThat(result.missingCount()).isEqualTo(2);
		assertThat(result.missingIds()).containsExactly(7L, 30L);
		assertThatThrownBy(result::assertAtLeastOnce).isInstanceOf(AssertionError.class)
			.hasMessageContaining("missing ids: 2, e.g. [7, 30]");
		assertThatThrownBy(result::assertExactlyOnce).isInstanceOf(AssertionError.class);
	}

	@Test
	void perKeyOrderViolationAndGarbageAreReported() {
		String out = KafkaTestBroker.uniqueTopicName("order-out");
		this.kafka.createTopic(out, 1);
		List<TestRecords.Input> expected = TestRecords.expected(10, 2);
		List<TestRecords.Input> output = new ArrayList<>(expected);
		// ids 4 and 6 share key-0: emit 6 before 4
		output.set(4, expected.get(6));
		output.set(6, expected.get(4));
		TestRecords.send(this.kafka.bootstrapServers(), out, output);

		ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), out, expected)
			.verify();
		assertThat(result.orderViolationCount()).isEqualTo(1);
		assertThat(result.orderViolations()).singleElement().asString().startsWith("key-0: id 4");
		assertThat(result.isAtLeastOnce()).isTrue();
		assertThatThrownBy(result::assertExactlyOnce).hasMessageContaining("per-key order violations: 1");

		TestRecords.send(this.kafka.bootstrapServers(), out,
				List.of(new TestRecords.Input(-1, "x", "not-a-number|x"), new TestRecords.Input(-1, "x", "999")));
		ExactlyOnceVerifier.Result garbage = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), out, expected)
			.verify();
		assertThat(garbage.unparseableCount()).isEqualTo(1);
		assertThat(garbage.unexpectedCount()).isEqualTo(1);
		assertThatThrownBy(garbage::assertAtLeastOnce).hasMessageContaining("unexpected ids: 1, e.g. [999 at p0@");
	}

	@Test
	void idParserFindsTheIdOfOutputThatCarriesItElsewhere() {
		String out = KafkaTestBroker.uniqueTopicName("json-out");
		this.kafka.createTopic(out, 1);
		List<TestRecords.Input> expected = List.of(new TestRecords.Input(1, "alice", "{\"order\":1}"),
				new TestRecords.Input(2, "bob", "{\"order\":2}"), new TestRecords.Input(3, "alice", "{\"order\":3}"));
		List<TestRecords.Input> output = new ArrayList<>(expected);
		output.add(expected.get(1));
		TestRecords.send(this.kafka.bootstrapServers(), out, output);

		ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), out, expected)
			.idParser((value) -> TestRecords.parseId(value.replaceAll("\\D", "")))
			.verify();

		assertThat(result.unparseableCount()).isZero();
		assertThat(result.missingCount()).isZero();
		assertThat(result.duplicateIds()).containsExactly(2L);
		assertThatThrownBy(result::assertExactlyOnce).hasMessageContaining("duplicate ids: 1 (1 extra copies)");
		assertThat(ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), out, expected).verify().unparseableCount())
			.as("without the parser no value starts with an id")
			.isEqualTo(4);
	}

	@Test
	void openTransactionIsReported() throws Exception {
		String out = KafkaTestBroker.uniqueTopicName("open-txn-out");
		this.kafka.createTopic(out, 2);
		List<TestRecords.Input> expected = TestRecords.expected(40, 4);
		Map<String, Object> props = TestRecords.producerProperties(this.kafka.bootstrapServers());
		props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "open-" + out);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
			producer.initTransactions();
			producer.beginTransaction();
			for (TestRecords.Input input : expected) {
				producer.send(new ProducerRecord<>(out, input.key(), input.value()));
			}
			producer.commitTransaction();
			ExactlyOnceVerifier verifier = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), out, expected);
			verifier.awaitExactlyOnce(AWAIT);

			producer.beginTransaction();
			producer.send(new ProducerRecord<>(out, "key-0", TestRecords.value(0, "never committed")))
				.get(10, TimeUnit.SECONDS);

			ExactlyOnceVerifier.Result open = verifier.verify();
			assertThat(open.openTransactions()).hasSize(1);
			assertThat(open.missingCount()).isZero();
			assertThat(open.duplicateCount()).isZero();
			assertThat(open.isAtLeastOnce()).isTrue();
			assertThatThrownBy(open::assertExactlyOnce).isInstanceOf(AssertionError.class)
				.hasMessageContaining("open transactions: 1 partitions")
				.hasMessageMatching("(?s).*p\\d: read_committed end \\d+ < end \\d+.*");

			producer.abortTransaction();
			ExactlyOnceVerifier.Result afterAbort = verifier.awaitExactlyOnce(AWAIT);
			assertThat(afterAbort.recordsRead()).isEqualTo(40);
		}
	}

	private void copyTransactionally(String in, String out, String group, int count) {
		Map<String, Object> consumerProps = new HashMap<>();
		consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers());
		consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
		consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
		consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		Map<String, Object> producerProps = TestRecords.producerProperties(this.kafka.bootstrapServers());
		producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group);
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps);
				KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
			producer.initTransactions();
			consumer.assign(consumer.partitionsFor(in)
				.stream()
				.map(p -> new TopicPartition(p.topic(), p.partition()))
				.collect(Collectors.toList()));
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			int copied = 0;
			while (copied < count) {
				assertThat(System.nanoTime()).as("copied %d of %d before the deadline", copied, count)
					.isLessThan(deadline);
				ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
				if (records.isEmpty()) {
					continue;
				}
				producer.beginTransaction();
				Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
				for (ConsumerRecord<String, String> record : records) {
					long id = TestRecords.parseId(record.value()).orElseThrow();
					producer.send(new ProducerRecord<>(out, record.key(), TestRecords.value(id, "copied")));
					offsets.put(new TopicPartition(record.topic(), record.partition()),
							new OffsetAndMetadata(record.offset() + 1));
				}
				producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
				producer.commitTransaction();
				copied += records.count();
			}
		}
	}

}
