package dev.kafkastream.autoconfigure;

import java.util.Set;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The kinds of Kafka clients kafka-stream creates, and the properties of each that
 * kafka-stream owns, so does not take from Spring Boot's {@code spring.kafka.*}.
 */
enum ClientKind {

	CONSUMER(Set.of(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
			ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
			ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
			ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG)),

	PRODUCER(Set.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
			ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.ACKS_CONFIG,
			ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)),

	ADMIN(Set.of());

	private final Set<String> owned;

	ClientKind(Set<String> owned) {
		this.owned = owned;
	}

	/**
	 * Whether kafka-stream owns the given property of this kind of client: the bootstrap
	 * servers and client id of every client, the (de)serialisers, group and offset
	 * handling of consumers, the serialisers and delivery settings of producers.
	 * @param key the property
	 * @return whether kafka-stream sets it itself
	 */
	boolean owns(String key) {
		return CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG.equals(key)
				|| CommonClientConfigs.CLIENT_ID_CONFIG.equals(key) || this.owned.contains(key);
	}

}
