package dev.kafkastream.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.core.RecordContext;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.sink.SinkPartitioner;
import dev.kafkastream.sink.TopicSelector;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each serialisation, partitioner, topic-selector, timestamp and header option of a sink
 * writes exactly the records it should: topic, partition, key, value, headers and
 * timestamp, read back with {@code read_committed}.
 * <p>
 * Input record {@code i} has key {@code key-<i % 5>}, value {@code "i"}, a {@code trace}
 * header {@code trace-<i>}, a timestamp a day ago plus {@code i} seconds, and sits in
 * input partition {@code i % 2}. The source reads the two partitions explicitly with two
 * workers, so worker {@code w} reads input partition {@code w}.
 */
class SinkRoutingIT {

	private static final int RECORDS = 30;

	private static final int KEYS = 5;

	private static final String TRACE = "trace";

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	private final long firstTimestamp = System.currentTimeMillis() - Duration.ofDays(1).toMillis();

	@Test
	void keyFormatStringWithAnOutputRecordKeyAndHandlerHeaders() {
		Pipeline pipeline = pipeline("keyed", 3);
		List<ConsumerRecord<byte[], byte[]>> output = pipeline.run(KeyedApplication.class,
				"--kafka-stream.sinks.out.key-format=string");
		assertThat(output).hasSize(RECORDS).allSatisfy((record) -> {
			int id = id(record);
			assertThat(record.topic()).isEqualTo(pipeline.output);
			assertThat(string(record.key())).isEqualTo("k-" + id);
			assertThat(record.partition()).isEqualTo(defaultPartition(record.key(), 3));
			assertThat(string(record.value())).isEqualTo(id + "|keyed");
			assertThat(headers(record)).containsExactlyElementsOf(KeyedHandler.headers(id));
			assertThat(record.timestamp()).isEqualTo(timestamp(id));
			assertThat(record.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
		});
	}

	@Test
	void copyHeadersKeepsTheInputHeadersBeforeThoseTheHandlerSets() {
		Pipeline pipeline = pipeline("copy-headers", 3);
		List<ConsumerRecord<byte[], byte[]>> output = pipeline.run(KeyedApplication.class,
				"--kafka-stream.sinks.out.copy-headers=true");
		assertThat(output).hasSize(RECORDS).allSatisfy((record) -> {
			int id = id(record);
			List<String> expected = new ArrayList<>();
			if (id % 2 != 0) {
				// an even record sets its own trace header, which replaces the input's
				expected.add(TRACE + "=trace-" + id);
			}
			expected.addAll(KeyedHandler.headers(id));
			assertThat(headers(record)).containsExactlyElementsOf(expected);
			assertThat(string(record.key())).isEqualTo("k-" + id);
		});
	}

	@Test
	void jsonValueAndTheInputKeyBytesUnchanged() {
		Pipeline pipeline = pipeline("json", 3);
		List<ConsumerRecord<byte[], byte[]>> output = pipeline.run(JsonApplication.class);
		assertThat(output).hasSize(RECORDS).allSatisfy((record) -> {
			int id = Integer.parseInt(string(record.value()).replaceAll("\\{\"id\":(\\d+),.*", "$1"));
			assertThat(string(record.value())).isEqualTo("{\"id\":" + id + ",\"key\":\"" + key(id) + "\"}");
			assertThat(string(record.key())).isEqualTo(key(id));
			assertThat(record.partition()).isEqualTo(defaultPartition(record.key(), 3));
			assertThat(record.headers().toArray()).isEmpty();
			assertThat(record.timestamp()).isEqualTo(timestamp(id));
		});
	}

	@Test
	void valueSerializerClass() {
		Pipeline pipeline = pipeline("serializer", 3);
		List<ConsumerRecord<byte[], byte[]>> output = pipeline.run(WorkerApplication.class,
				"--kafka-stream.sinks.out.value-serializer=" + ReversingSerializer.class.getName());
		assertThat(output).hasSize(RECORDS).allSatisfy((record) -> {
			String value = new StringBuilder(string(record.value())).reverse().toString();
			int id = Integer.parseInt(value.substring(0, value.indexOf('|')));
			assertThat(value).isEqualTo(id + "|" + (id % 2));
			assertThat(string(record.key())).isEqualTo(key(id));
		});
	}

	@Test
	void fixedPartitionerWritesEachWorkerToOnePartition() {
		Pipeline pipeline = pipeline("fixed", 3);
		List<ConsumerRecord<byte[], byte[]>> output = pipeline.run(WorkerApplication.class,
				"--kafka-stream.sinks.out.partitioner=fixed");
		assertThat(output).hasSize(RECORDS).allSatisfy((record) -> {
			int id = id(record);
			int worker = id % 2;
			assertThat(string(record.value())).isEqualTo(id + "|" + worker);
			assertThat(record.partition()).isEqualTo(worker % 3);
			assertThat(string(record.key())).isEqualTo(key(id));
			assertThat(record.timestamp()).isEqualTo(timestamp(id));
		});
		assertThat(countByPartition(output)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 15L, 1, 15L));
	}

	@Test
	void roundRobinPartitionerSpreadsRecordsEvenly() {
		Pipeline pipeline = pipeline("round-robin", 3);
		List<ConsumerRecord<byte[], byte[]>> output = pipeline.run(WorkerApplication.class,
				"--kafka-stream.sinks.out.partitioner=round-robin");
		assertThat(output).hasSize(RECORDS);
		assertThat(output).extracting(SinkRoutingIT::id)
			.containsExactlyInAnyOrderElementsOf(ids());
		assertThat(countByPartition(output)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 10L, 1, 10L, 2, 10L));
	}

	@Test
	void partitionerBean() {
		Pipeline pipeline = pipeline("partitioner-bean", 3);
		// the partitioner sees the input key as the source deserialises it: a string
		List<ConsumerRecord<byte[], byte[]>> output = pipeline.run(RoutingBeansApplication.class,
				"--kafka-stream.sinks.out.partitioner=keyNumberPartitioner", "--kafka-stream.sources.in.key-format=string");
		assertThat(output).hasSize(RECORDS).allSatisfy((record) -> {
			int id = id(record);
			assertThat(record.partition()).isEqualTo((id % KEYS) % 3);
			assertThat(string(record.key())).isEqualTo(key(id));
		});
	}

	@Test
	void topicSelectorRoutesToTwoTopics() {
		Pipeline pipeline = pipeline("selector", 2);
		String even = pipeline.output + "-even";
		String odd = pipeline.output + "-odd";
		this.kafka.createTopic(even, 2);
		this.kafka.createTopic(odd, 1);
		try (ConfigurableApplicationContext context = pipeline.arguments("--kafka-stream.sinks.out.topic=",
				"--kafka-stream.sinks.out.topic-selector=evenOddTopics", "--test.topic-prefix=" + pipeline.output)
			.run(RoutingBeansApplication.class)) {
			List<ConsumerRecord<byte[], byte[]>> evens = readCommitted(even, RECORDS / 2);
			List<ConsumerRecord<byte[], byte[]>> odds = readCommitted(odd, RECORDS / 2);
			assertThat(evens).extracting(SinkRoutingIT::id)
				.containsExactlyInAnyOrderElementsOf(ids().stream().filter((id) -> id % 2 == 0).toList());
			assertThat(odds).extracting(SinkRoutingIT::id)
				.containsExactlyInAnyOrderElementsOf(ids().stream().filter((id) -> id % 2 != 0).toList());
			assertThat(evens).allSatisfy((record) -> {
				assertThat(record.partition()).isEqualTo(defaultPartition(record.key(), 2));
				assertThat(string(record.key())).isEqualTo(key(id(record)));
			});
			assertThat(odds).extracting(ConsumerRecord::partition).containsOnly(0);
			assertThat(readCommitted(pipeline.output, 0)).isEmpty();
		}
	}

	@Test
	void writeTimestampFalseLetsTheProducerStampRecords() {
		Pipeline pipeline = pipeline("no-timestamp", 3);
		long start = System.currentTimeMillis();
		List<ConsumerRecord<byte[], byte[]>> output = pipeline.run(WorkerApplication.class,
				"--kafka-stream.sinks.out.write-timestamp=false");
		long end = System.currentTimeMillis();
		assertThat(output).hasSize(RECORDS).allSatisfy((record) -> {
			assertThat(record.timestamp()).isBetween(start, end);
			assertThat(record.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
		});
	}

	private Pipeline pipeline(String name, int outputPartitions) {
		String input = KafkaTestBroker.uniqueTopicName("routing-" + name + "-in");
		String output = KafkaTestBroker.uniqueTopicName("routing-" + name + "-out");
		this.kafka.createTopic(input, 2);
		this.kafka.createTopic(output, outputPartitions);
		produce(input);
		return new Pipeline(input, output);
	}

	private void produce(String topic) {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				TestRecords.producerProperties(this.kafka.bootstrapServers()))) {
			List<Future<RecordMetadata>> sent = new ArrayList<>();
			for (int id : ids()) {
				ProducerRecord<String, String> record = new ProducerRecord<>(topic, id % 2, timestamp(id), key(id),
						String.valueOf(id));
				record.headers().add(TRACE, ("trace-" + id).getBytes(StandardCharsets.UTF_8));
				sent.add(producer.send(record));
			}
			for (Future<RecordMetadata> future : sent) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Producing to " + topic + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Reads the committed records of every partition of a topic until there are as many
	 * as expected, and a little longer to see any more.
	 */
	private List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int expected) {
		Map<String, Object> properties = new HashMap<>();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers());
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30))
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
			await("%d records on %s".formatted(expected, topic)).atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ZERO)
				.until(() -> {
					consumer.poll(Duration.ofMillis(200)).forEach(records::add);
					return records.size() >= expected;
				});
			// one more checkpoint interval: anything beyond the expected records shows
			consumer.poll(Duration.ofMillis(600)).forEach(records::add);
			return records;
		}
	}

	private static List<Integer> ids() {
		List<Integer> ids = new ArrayList<>();
		for (int i = 0; i < RECORDS; i++) {
			ids.add(i);
		}
		return ids;
	}

	private static String key(int id) {
		return TestRecords.key(id, KEYS);
	}

	private long timestamp(int id) {
		return this.firstTimestamp + id * 1_000L;
	}

	private static int id(ConsumerRecord<byte[], byte[]> record) {
		return (int) TestRecords.parseId(string(record.value())).orElseThrow();
	}

	private static String string(byte @Nullable [] bytes) {
		assertThat(bytes).isNotNull();
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static List<String> headers(ConsumerRecord<byte[], byte[]> record) {
		return Arrays.stream(record.headers().toArray())
			.map((header) -> header.key() + "=" + string(header.value()))
			.toList();
	}

	/**
	 * The partition Kafka's default partitioner chooses for a key.
	 */
	private static int defaultPartition(byte[] key, int partitions) {
		return Utils.toPositive(Utils.murmur2(key)) % partitions;
	}

	private static Map<Integer, Long> countByPartition(List<ConsumerRecord<byte[], byte[]>> records) {
		return records.stream().collect(Collectors.groupingBy(ConsumerRecord::partition, Collectors.counting()));
	}

	/**
	 * An input topic with the test records and an empty output topic.
	 */
	private final class Pipeline {

		private final String input;

		private final String output;

		Pipeline(String input, String output) {
			this.input = input;
			this.output = output;
		}

		PipelineArguments arguments(String... arguments) {
			return PipelineArguments
				.inToOut(SinkRoutingIT.this.kafka.bootstrapServers(), this.input, this.output, "exactly-once",
						this.output)
				.with("--kafka-stream.sources.in.topics=", "--kafka-stream.sources.in.partitions[" + this.input + "]=0,1",
						"--kafka-stream.sources.in.concurrency=2")
				.with(arguments);
		}

		List<ConsumerRecord<byte[], byte[]>> run(Class<?> application, String... arguments) {
			try (ConfigurableApplicationContext context = arguments(arguments).run(application)) {
				return readCommitted(this.output, RECORDS);
			}
		}

	}

	/**
	 * Keys every record {@code k-<id>} and sets an {@code added} header, plus a
	 * {@code trace} header on even records.
	 */
	static class KeyedHandler {

		@KafkaStreamHandler(source = "in", sink = "out")
		OutputRecord<String, String> handle(String value) {
			OutputRecord.Builder<String, String> record = OutputRecord.<String, String>builder(value + "|keyed")
				.key("k-" + value);
			int id = Integer.parseInt(value);
			if (id % 2 == 0) {
				record.header("added", "a-" + id).header(TRACE, "replaced");
			}
			else {
				record.header("added", "a-" + id);
			}
			return record.build();
		}

		static List<String> headers(int id) {
			return (id % 2 == 0) ? List.of("added=a-" + id, TRACE + "=replaced") : List.of("added=a-" + id);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class KeyedApplication {

		@Bean
		KeyedHandler keyedHandler() {
			return new KeyedHandler();
		}

	}

	/**
	 * An order written as JSON.
	 *
	 * @param id the input id
	 * @param key the input key
	 */
	record Order(long id, String key) {

	}

	static class JsonHandler {

		@KafkaStreamHandler(source = "in", sink = "out")
		Order handle(ConsumerRecord<String, String> record) {
			return new Order(Long.parseLong(record.value()), record.key());
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class JsonApplication {

		@Bean
		JsonHandler jsonHandler() {
			return new JsonHandler();
		}

	}

	/**
	 * Writes {@code <id>|<input partition>}: the input partition is the index of the
	 * worker that wrote the record.
	 */
	static class WorkerHandler {

		@KafkaStreamHandler(source = "in", sink = "out")
		String handle(String value, RecordContext context) {
			return value + "|" + context.partition();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class WorkerApplication {

		@Bean
		WorkerHandler workerHandler() {
			return new WorkerHandler();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class RoutingBeansApplication {

		@Bean
		WorkerHandler workerHandler() {
			return new WorkerHandler();
		}

		@Bean
		SinkPartitioner keyNumberPartitioner() {
			// key-<n> goes to partition n % partitionCount
			return (topic, key, value, workerIndex, partitionCount) -> Integer
				.parseInt(String.valueOf(key).substring("key-".length())) % partitionCount;
		}

		@Bean
		TopicSelector evenOddTopics(org.springframework.core.env.Environment environment) {
			String prefix = environment.getProperty("test.topic-prefix", "unused");
			Function<String, Integer> id = (value) -> Integer.parseInt(value.substring(0, value.indexOf('|')));
			return (key, value) -> prefix + ((id.apply(String.valueOf(value)) % 2 == 0) ? "-even" : "-odd");
		}

	}

	/**
	 * Writes a string reversed.
	 */
	public static class ReversingSerializer implements Serializer<String> {

		@Override
		public byte[] serialize(String topic, String data) {
			return new StringBuilder(data).reverse().toString().getBytes(StandardCharsets.UTF_8);
		}

	}

}
