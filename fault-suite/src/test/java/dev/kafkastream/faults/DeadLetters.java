package dev.kafkastream.faults;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic's committed records as they are, with their headers: the dead letters of
 * a scenario, or the input records they came from.
 */
final class DeadLetters {

	static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";

	static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";

	static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";

	private static final Duration READ_TIMEOUT = Duration.ofMinutes(1);

	private DeadLetters() {
	}

	/**
	 * The records of every partition of a topic up to its {@code read_committed} end.
	 * @param cluster the cluster
	 * @param topic the topic
	 * @return the records, partition by partition in offset order
	 */
	static List<ConsumerRecord<byte[], byte[]>> readCommitted(FaultCluster cluster, String topic) {
		Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
				false, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		List<TopicPartition> partitions = IntStream.range(0, FaultScenario.PARTITIONS)
			.mapToObj((partition) -> new TopicPartition(topic, partition))
			.toList();
		List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Could not read " + topic + " up to " + ends);
				}
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
			}
		}
		return records;
	}

	/**
	 * The id of a load record, the digits its value starts with.
	 * @param value the raw value, possibly not UTF-8 after the id
	 * @return the id
	 */
	static long id(byte[] value) {
		int end = 0;
		while (end < value.length && Character.isDigit(value[end])) {
			end++;
		}
		return Long.parseLong(new String(value, 0, end, StandardCharsets.US_ASCII));
	}

	static String stringHeader(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	static int intHeader(ConsumerRecord<?, ?> record, String name) {
		return ByteBuffer.wrap(record.headers().lastHeader(name).value()).getInt();
	}

	static long longHeader(ConsumerRecord<?, ?> record, String name) {
		return ByteBuffer.wrap(record.headers().lastHeader(name).value()).getLong();
	}

}
