package dev.kafkastream.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads the latest enriched orders from the sink topic with a {@code read_committed}
 * consumer: only output of committed transactions (completed checkpoints) is visible, as
 * it would be to any downstream consumer.
 */
@Component
public class EnrichedOrderReader {

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

	private final ConsumerFactory<?, ?> consumerFactory;

	private final JsonMapper jsonMapper;

	private final String topic;

	public EnrichedOrderReader(ConsumerFactory<?, ?> consumerFactory, JsonMapper jsonMapper,
			@Value("${kafka-stream.sinks.enriched.topic}") String topic) {
		this.consumerFactory = consumerFactory;
		this.jsonMapper = jsonMapper;
		this.topic = topic;
	}

	/**
	 * The latest committed enriched orders, newest first.
	 * @param limit how many to return at most
	 * @return the orders
	 */
	public List<EnrichedOrder> latest(int limit) {
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (Consumer<String, String> consumer = createConsumer()) {
			List<TopicPartition> partitions = consumer.partitionsFor(this.topic, READ_TIMEOUT)
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			// With read_committed, end offsets are the last stable offsets.
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
			Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, READ_TIMEOUT);
			for (TopicPartition partition : partitions) {
				consumer.seek(partition, Math.max(beginning.get(partition), end.get(partition) - limit));
			}
			long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
			while (!reachedEnd(consumer, partitions, end) && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
						records.add(record);
					}
				}
			}
		}
		return records.stream()
			.sorted(Comparator.comparingLong(ConsumerRecord<String, String>::timestamp).reversed())
			.limit(limit)
			.map((record) -> this.jsonMapper.readValue(record.value(), EnrichedOrder.class))
			.toList();
	}

	private static boolean reachedEnd(Consumer<?, ?> consumer, List<TopicPartition> partitions,
			Map<TopicPartition, Long> end) {
		return partitions.stream().allMatch((partition) -> consumer.position(partition) >= end.get(partition));
	}

	@SuppressWarnings("unchecked")
	private Consumer<String, String> createConsumer() {
		Properties overrides = new Properties();
		overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		return (Consumer<String, String>) this.consumerFactory.createConsumer(null, "enriched-order-reader", null,
				overrides);
	}

}
