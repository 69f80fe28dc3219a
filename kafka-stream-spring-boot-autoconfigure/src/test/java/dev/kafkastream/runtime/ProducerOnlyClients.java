package dev.kafkastream.runtime;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * {@link KafkaClients} of unit tests that only create producers, such as mock ones.
 */
final class ProducerOnlyClients implements KafkaClients {

	private final Supplier<Producer<byte[], byte[]>> producers;

	private ProducerOnlyClients(Supplier<Producer<byte[], byte[]>> producers) {
		this.producers = producers;
	}

	/**
	 * Clients whose producers come from the given supplier.
	 * @param producers creates each producer asked for
	 * @return the clients
	 */
	static KafkaClients of(Supplier<Producer<byte[], byte[]>> producers) {
		return new ProducerOnlyClients(producers);
	}

	@Override
	public Consumer<byte[], byte[]> createConsumer(Map<String, Object> config) {
		throw new UnsupportedOperationException("No consumer in this test");
	}

	@Override
	public Producer<byte[], byte[]> createProducer(Map<String, Object> config) {
		return this.producers.get();
	}

}
