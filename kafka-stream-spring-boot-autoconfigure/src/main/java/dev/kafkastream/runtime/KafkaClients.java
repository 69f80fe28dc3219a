package dev.kafkastream.runtime;

import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Creates the Kafka clients of the workers. Both work on bytes: sources and sinks do the
 * (de)serialisation.
 */
public interface KafkaClients {

	Consumer<byte[], byte[]> createConsumer(Map<String, Object> config);

	Producer<byte[], byte[]> createProducer(Map<String, Object> config);

	/**
	 * Clients created with the plain Kafka constructors.
	 * @return the factory
	 */
	static KafkaClients standard() {
		return new KafkaClients() {

			@Override
			public Consumer<byte[], byte[]> createConsumer(Map<String, Object> config) {
				return new KafkaConsumer<>(config);
			}

			@Override
			public Producer<byte[], byte[]> createProducer(Map<String, Object> config) {
				return new KafkaProducer<>(config);
			}

		};
	}

}
