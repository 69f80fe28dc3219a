package dev.kafkastream.it.scaling;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces input records at a steady rate, following the {@link TestRecords} convention:
 * record {@code id} goes to every one of the topics, with ids counting up from 0. The load
 * can be paused, which waits until everything sent is acknowledged, so that a verifier
 * knows exactly which inputs to expect, and resumed; a burst adds records at once so that
 * the workers have a backlog.
 */
final class SteadyLoad implements AutoCloseable {

	private static final Duration TICK = Duration.ofMillis(20);

	private final KafkaProducer<String, String> producer;

	private final List<String> topics;

	private final int keys;

	private final int recordsPerTick;

	private final ScheduledExecutorService scheduler;

	private final AtomicReference<Exception> failure = new AtomicReference<>();

	private long nextId;

	private boolean running;

	/**
	 * Creates a load, paused.
	 * @param bootstrapServers the brokers
	 * @param topics the topics every record goes to
	 * @param keys the number of distinct keys
	 * @param recordsPerSecond records per second sent to each topic
	 */
	SteadyLoad(String bootstrapServers, List<String> topics, int keys, int recordsPerSecond) {
		this.producer = new KafkaProducer<>(TestRecords.producerProperties(bootstrapServers));
		this.topics = List.copyOf(topics);
		this.keys = keys;
		this.recordsPerTick = Math.max(1, (int) (recordsPerSecond * TICK.toMillis() / 1000));
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "steady-load");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleAtFixedRate(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
	}

	synchronized void resume() {
		this.running = true;
	}

	/**
	 * Sends records at once, on top of the steady rate.
	 * @param count the number of records sent to each topic
	 */
	synchronized void burst(int count) {
		send(count);
	}

	/**
	 * Stops sending and waits until every record sent is acknowledged.
	 * @return every input sent so far, to each topic
	 */
	synchronized List<TestRecords.Input> pause() {
		this.running = false;
		this.producer.flush();
		Exception failed = this.failure.get();
		if (failed != null) {
			throw new IllegalStateException("The load could not send every record", failed);
		}
		return produced();
	}

	/**
	 * The inputs sent so far.
	 * @return the inputs, in id order
	 */
	synchronized List<TestRecords.Input> produced() {
		return TestRecords.expected(0, Math.toIntExact(this.nextId), this.keys);
	}

	synchronized long count() {
		return this.nextId;
	}

	private synchronized void tick() {
		if (this.running) {
			send(this.recordsPerTick);
		}
	}

	private void send(int count) {
		for (int i = 0; i < count; i++) {
			long id = this.nextId++;
			for (String topic : this.topics) {
				this.producer.send(
						new ProducerRecord<>(topic, TestRecords.key(id, this.keys), TestRecords.value(id)),
						(metadata, ex) -> {
							if (ex != null) {
								this.failure.compareAndSet(null, ex);
							}
						});
			}
		}
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
		this.producer.close(Duration.ofSeconds(5));
	}

}
