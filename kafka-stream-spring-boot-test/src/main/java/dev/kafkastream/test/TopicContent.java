package dev.kafkastream.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a {@code read_committed} reader sees of a whole topic, read up to the last stable
 * offset of each partition, and the partitions whose last stable offset is below the high
 * watermark: open transactions.
 *
 * @param records the records, as bytes
 * @param openTransactions the partitions with an open transaction
 * @param highWatermarks the sum of the partitions' high watermarks
 */
public record TopicContent(List<ConsumerRecord<byte[], byte[]>> records, List<TopicPartition> openTransactions,
		long highWatermarks) {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Reads a topic.
	 * @param bootstrapServers the brokers
	 * @param topic the topic
	 * @return what a read_committed reader sees
	 */
	public static TopicContent readCommitted(String bootstrapServers, String topic) {
		try (KafkaConsumer<byte[], byte[]> committed = consumer(bootstrapServers, "read_committed");
				KafkaConsumer<byte[], byte[]> uncommitted = consumer(bootstrapServers, "read_uncommitted")) {
			List<TopicPartition> partitions = committed.partitionsFor(topic, TIMEOUT)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			// assigned first: end offsets of unassigned partitions make the client log a warning
			committed.assign(partitions);
			uncommitted.assign(partitions);
			Map<TopicPartition, Long> stable = committed.endOffsets(partitions, TIMEOUT);
			Map<TopicPartition, Long> highWatermarks = uncommitted.endOffsets(partitions, TIMEOUT);
			List<TopicPartition> open = partitions.stream()
				.filter((partition) -> !stable.get(partition).equals(highWatermarks.get(partition)))
				.toList();
			committed.seekToBeginning(partitions);
			List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				for (ConsumerRecord<byte[], byte[]> record : committed.poll(Duration.ofMillis(100))) {
					if (record.offset() < stable.get(new TopicPartition(record.topic(), record.partition()))) {
						records.add(record);
					}
				}
				return partitions.stream().allMatch((partition) -> committed.position(partition) >= stable.get(partition));
			});
			return new TopicContent(records, open,
					highWatermarks.values().stream().mapToLong(Long::longValue).sum());
		}
	}

	/**
	 * The records with their keys and values decoded as UTF-8 text.
	 * @return the records, {@code null} keys and values kept {@code null}
	 */
	public List<ConsumerRecord<String, String>> stringRecords() {
		return this.records.stream()
			.map((record) -> new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), text(record.key()),
					text(record.value())))
			.toList();
	}

	private static String text(byte[] bytes) {
		return (bytes != null) ? new String(bytes, StandardCharsets.UTF_8) : null;
	}

	/**
	 * The offsets a consumer group committed.
	 * @param admin an admin client
	 * @param group the group
	 * @return the committed offset of every partition that has one
	 * @throws Exception if the admin client fails or times out
	 */
	public static Map<TopicPartition, Long> committedOffsets(Admin admin, String group) throws Exception {
		Map<TopicPartition, Long> offsets = new HashMap<>();
		Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
			.partitionsToOffsetAndMetadata()
			.get(10, TimeUnit.SECONDS);
		committed.forEach((partition, offset) -> {
			if (offset != null) {
				offsets.put(partition, offset.offset());
			}
		});
		return offsets;
	}

	/**
	 * The sum of the offsets a consumer group committed: how many records it consumed,
	 * for topics starting at offset 0 without transactions.
	 * @param admin an admin client
	 * @param group the group
	 * @return the sum of the committed offsets
	 * @throws Exception if the admin client fails or times out
	 */
	public static long committedTotal(Admin admin, String group) throws Exception {
		return committedOffsets(admin, group).values().stream().mapToLong(Long::longValue).sum();
	}

	/**
	 * The value of a record's last header of a name, as text.
	 * @param record the record
	 * @param name the header name
	 * @return the value
	 */
	public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
		Header header = record.headers().lastHeader(name);
		assertThat(header).as("header %s", name).isNotNull();
		return new String(header.value(), StandardCharsets.UTF_8);
	}

	private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String isolationLevel) {
		return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
	}

}
