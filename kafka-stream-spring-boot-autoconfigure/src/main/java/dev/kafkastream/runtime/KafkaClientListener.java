package dev.kafkastream.runtime;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Told of every consumer and producer the runtime creates, and of its close, so that
 * something can follow the clients' lifecycle (such as binding their metrics) without
 * replacing {@link KafkaClients}. Producers the runtime re-creates after a failure are
 * reported again: each creation is matched by one removal. Callbacks run on the thread
 * that creates or closes the client; they must be quick and must not throw.
 *
 * @see KafkaClients#withListener(KafkaClientListener)
 */
public interface KafkaClientListener {

	/**
	 * Called after a consumer was created.
	 * @param clientId its {@code client.id}
	 * @param consumer the consumer
	 */
	default void consumerAdded(String clientId, Consumer<?, ?> consumer) {
	}

	/**
	 * Called after a consumer was closed, or failed to close.
	 * @param clientId its {@code client.id}
	 * @param consumer the consumer
	 */
	default void consumerRemoved(String clientId, Consumer<?, ?> consumer) {
	}

	/**
	 * Called after a producer was created.
	 * @param clientId its {@code client.id}
	 * @param producer the producer
	 */
	default void producerAdded(String clientId, Producer<?, ?> producer) {
	}

	/**
	 * Called after a producer was closed, or failed to close.
	 * @param clientId its {@code client.id}
	 * @param producer the producer
	 */
	default void producerRemoved(String clientId, Producer<?, ?> producer) {
	}

}
