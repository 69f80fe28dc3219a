package dev.kafkastream.runtime;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Creates the Kafka clients of the workers. Consumers and producers work on bytes:
 * sources and sinks do the (de)serialisation. The runtime's own housekeeping (fencing
 * abandoned transactions, removing crashed static members) goes through an admin client.
 */
public interface KafkaClients {

	Consumer<byte[], byte[]> createConsumer(Map<String, Object> config);

	Producer<byte[], byte[]> createProducer(Map<String, Object> config);

	/**
	 * Creates an admin client.
	 * @param config the admin client configuration
	 * @return the admin client
	 */
	default Admin createAdmin(Map<String, Object> config) {
		return Admin.create(config);
	}

	/**
	 * These clients, telling the listener of every consumer and producer they create and
	 * of its close.
	 * @param listener the listener
	 * @return the clients
	 */
	default KafkaClients withListener(KafkaClientListener listener) {
		return new ListeningKafkaClients(this, listener);
	}

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
