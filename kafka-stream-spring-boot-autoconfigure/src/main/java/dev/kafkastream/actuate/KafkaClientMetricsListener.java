package dev.kafkastream.actuate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.kafkastream.runtime.KafkaClientListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Binds the Kafka client metrics of every consumer and producer the runtime creates to a
 * meter registry with Micrometer's {@link KafkaClientMetrics} (meters named
 * {@code kafka.consumer.*} and {@code kafka.producer.*}, tagged with the
 * {@code client.id}), and removes them when the client is closed, so producers
 * re-created after a failure leave no meters behind. One scheduler thread, shared by
 * every client, picks up metrics a client adds after it was bound.
 */
public class KafkaClientMetricsListener implements KafkaClientListener, AutoCloseable {

	private final MeterRegistry registry;

	private final Iterable<Tag> tags;

	private final Map<Object, KafkaClientMetrics> bound = new ConcurrentHashMap<>();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "kafka-stream-client-metrics");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Creates a listener binding to the given registry.
	 * @param registry the registry
	 * @param tags tags added to every client meter
	 */
	public KafkaClientMetricsListener(MeterRegistry registry, Iterable<Tag> tags) {
		this.registry = registry;
		this.tags = tags;
	}

	@Override
	public void consumerAdded(String clientId, Consumer<?, ?> consumer) {
		bind(consumer, new KafkaClientMetrics(consumer, this.tags, this.scheduler));
	}

	@Override
	public void consumerRemoved(String clientId, Consumer<?, ?> consumer) {
		unbind(consumer);
	}

	@Override
	public void producerAdded(String clientId, Producer<?, ?> producer) {
		bind(producer, new KafkaClientMetrics(producer, this.tags, this.scheduler));
	}

	@Override
	public void producerRemoved(String clientId, Producer<?, ?> producer) {
		unbind(producer);
	}

	private void bind(Object client, KafkaClientMetrics metrics) {
		metrics.bindTo(this.registry);
		this.bound.put(client, metrics);
	}

	private void unbind(Object client) {
		KafkaClientMetrics metrics = this.bound.remove(client);
		if (metrics != null) {
			metrics.close();
		}
	}

	/**
	 * The number of clients whose metrics are bound.
	 * @return the number of clients
	 */
	int boundClients() {
		return this.bound.size();
	}

	/**
	 * Removes the meters of every client still bound and stops the scheduler.
	 */
	@Override
	public void close() {
		this.bound.keySet().forEach(this::unbind);
		this.scheduler.shutdownNow();
	}

}
