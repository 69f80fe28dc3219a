package dev.kafkastream.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.kafkastream.core.RecordContext;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.handler.RecordKey;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A handler that takes the key, the value, the headers and the record context sees, for
 * every input record, exactly the key, header, topic, partition, offset and timestamp the
 * record has on the broker.
 */
class RecordContextIT {

	private static final int RECORDS = 300;

	private static final int KEYS = 17;

	private static final String TRACE = "trace";

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void handlerSeesTheKeyHeadersAndContextOfEveryRecord() {
		String input = KafkaTestBroker.uniqueTopicName("context-in");
		String output = KafkaTestBroker.uniqueTopicName("context-out");
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		long firstTimestamp = System.currentTimeMillis() - Duration.ofDays(1).toMillis();
		List<TestRecords.Input> inputs = TestRecords.expected(RECORDS, KEYS);
		produceWithTraceHeaders(input, inputs, firstTimestamp);
		List<Seen> expected = readAll(input, "read_uncommitted").stream().map(Seen::of).toList();
		assertThat(expected).hasSize(RECORDS)
			.allSatisfy((seen) -> {
				assertThat(seen.context().timestamp()).isEqualTo(timestamp(firstTimestamp, Long.parseLong(seen.value())));
				assertThat(seen.context().timestampType()).isEqualTo(TimestampType.CREATE_TIME);
				assertThat(seen.trace()).isEqualTo("trace-" + seen.value());
			});
		assertThat(expected).extracting((seen) -> seen.context().partition()).containsOnly(0, 1, 2);
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", "context-it")
			.with("--kafka-stream.sources.in.concurrency=2")
			.run(RecordContextApplication.class)) {
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(2));
			List<Seen> seen = context.getBean(ContextHandler.class).seen();
			assertThat(seen.stream().distinct().toList()).containsExactlyInAnyOrderElementsOf(expected);
			assertThat(readAll(output, "read_committed")).extracting(ConsumerRecord::value)
				.containsExactlyInAnyOrderElementsOf(expected.stream().map(Seen::output).toList());
		}
	}

	private void produceWithTraceHeaders(String topic, List<TestRecords.Input> inputs, long firstTimestamp) {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				TestRecords.producerProperties(this.kafka.bootstrapServers()))) {
			List<Future<RecordMetadata>> sent = new ArrayList<>();
			for (TestRecords.Input input : inputs) {
				ProducerRecord<String, String> record = new ProducerRecord<>(topic, null,
						timestamp(firstTimestamp, input.id()), input.key(), input.value());
				record.headers().add(TRACE, ("trace-" + input.id()).getBytes(StandardCharsets.UTF_8));
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

	private static long timestamp(long firstTimestamp, long id) {
		return firstTimestamp + id * 1_000;
	}

	private List<ConsumerRecord<String, String>> readAll(String topic, String isolationLevel) {
		Map<String, Object> properties = new HashMap<>();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers());
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30))
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, Duration.ofSeconds(30));
			List<ConsumerRecord<String, String>> records = new ArrayList<>();
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < endOffsets.get(partition))) {
				assertThat(System.nanoTime()).as("reading %s to %s", topic, endOffsets).isLessThan(deadline);
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
			}
			return records;
		}
	}

	/**
	 * What the handler saw of one record.
	 * @param key the key
	 * @param value the value
	 * @param trace the value of the trace header
	 * @param context the record context
	 */
	record Seen(String key, String value, String trace, RecordContext context) {

		static Seen of(ConsumerRecord<String, String> record) {
			return new Seen(record.key(), record.value(), trace(record.headers()), new RecordContext(record.topic(),
					record.partition(), record.offset(), record.timestamp(), record.timestampType()));
		}

		static String trace(Headers headers) {
			Header header = headers.lastHeader(TRACE);
			return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : "none";
		}

		String output() {
			return this.value + "|" + this.key + "|" + this.context.topic() + "|" + this.context.partition() + "|"
					+ this.context.offset();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class RecordContextApplication {

		@Bean
		ContextHandler contextHandler() {
			return new ContextHandler();
		}

	}

	/**
	 * Keeps what it saw of every record and writes the value with the key and where the
	 * record came from.
	 */
	static class ContextHandler {

		private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

		@KafkaStreamHandler(source = "in", sink = "out")
		String handle(@RecordKey String key, String value, Headers headers, RecordContext context) {
			Seen record = new Seen(key, value, Seen.trace(headers), context);
			this.seen.add(record);
			return record.output();
		}

		List<Seen> seen() {
			return List.copyOf(this.seen);
		}

	}

}
