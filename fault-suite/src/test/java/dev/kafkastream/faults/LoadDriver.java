package dev.kafkastream.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import static org.awaitility.Awaitility.await;

/**
 * Produces the input of a scenario at a steady rate from its own thread, with an
 * idempotent producer that outlasts broker restarts, until the scenario has injected its
 * faults and at least the volume's records were sent: record {@code id} has key
 * {@code key-(id % keys)} and value {@code id}, in the format of {@link TestRecords}. A
 * scenario may turn some ids into poison records, which the pipeline must not copy.
 */
final class LoadDriver implements AutoCloseable {

	static final int KEYS = 600;

	private final String topic;

	private final int records;

	private final int recordsPerSecond;

	private final LongFunction<byte[]> poison;

	private final KafkaProducer<String, byte[]> producer;

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong acknowledged = new AtomicLong();

	private final AtomicReference<Exception> failure = new AtomicReference<>();

	private final List<TestRecords.Input> inputs = Collections.synchronizedList(new ArrayList<>());

	private final List<Long> poisonIds = Collections.synchronizedList(new ArrayList<>());

	private final Thread thread;

	private volatile boolean stopped;

	private volatile boolean finishing;

	/**
	 * A driver of the given volume.
	 * @param bootstrapServers the broker's own address
	 * @param topic the input topic
	 * @param volume how many records, how fast
	 * @param poison the bytes of the poison record for an id, or {@code null} for a good one
	 */
	LoadDriver(String bootstrapServers, String topic, Volume volume, LongFunction<byte[]> poison) {
		this.topic = topic;
		this.records = volume.records();
		this.recordsPerSecond = volume.recordsPerSecond();
		this.poison = poison;
		Map<String, Object> properties = TestRecords.producerProperties(bootstrapServers);
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		// broker restarts and blackholes must not fail a send
		properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(5).toMillis());
		properties.put(ProducerConfig.CLIENT_ID_CONFIG, "fault-suite-load");
		// one request in flight: a first batch refused while the new partition is not ready yet
		// must not be overtaken by the next, or the broker refuses its retries as out of order
		// until the delivery timeout (KAFKA-15591)
		properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
		this.producer = new KafkaProducer<>(properties);
		this.thread = new Thread(this::produce, "fault-suite-load");
		this.thread.setDaemon(true);
	}

	LoadDriver(String bootstrapServers, String topic, Volume volume) {
		this(bootstrapServers, topic, volume, (id) -> null);
	}

	LoadDriver start() {
		this.thread.start();
		return this;
	}

	private void produce() {
		long start = System.nanoTime();
		long nanosPerRecord = TimeUnit.SECONDS.toNanos(1) / this.recordsPerSecond;
		for (long id = 0; (id < this.records || !this.finishing) && !this.stopped; id++) {
			long due = start + id * nanosPerRecord;
			long wait = due - System.nanoTime();
			if (wait > TimeUnit.MILLISECONDS.toNanos(2)) {
				// pacing the load is the job of this thread, not synchronisation
				sleep(wait);
			}
			send(id);
		}
		this.producer.flush();
	}

	private void send(long id) {
		String key = TestRecords.key(id, KEYS);
		byte[] poisonValue = this.poison.apply(id);
		byte[] value = (poisonValue != null) ? poisonValue : TestRecords.value(id).getBytes(StandardCharsets.UTF_8);
		if (poisonValue != null) {
			this.poisonIds.add(id);
		}
		else {
			this.inputs.add(new TestRecords.Input(id, key, TestRecords.value(id)));
		}
		this.sent.incrementAndGet();
		this.producer.send(new ProducerRecord<>(this.topic, key, value), (metadata, exception) -> {
			if (exception != null) {
				this.failure.compareAndSet(null, exception);
			}
			else {
				this.acknowledged.incrementAndGet();
			}
		});
	}

	private static void sleep(long nanos) {
		try {
			TimeUnit.NANOSECONDS.sleep(nanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * How many records were sent so far.
	 * @return the count
	 */
	long sent() {
		return this.sent.get();
	}

	/**
	 * Waits until at least the given share of the records was sent.
	 * @param fraction between 0 and 1
	 */
	void awaitSent(double fraction) {
		long target = (long) (this.records * fraction);
		await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20)).until(() -> sent() >= target);
	}

	/**
	 * Lets the load end once the volume's records were sent, and waits until every record
	 * sent was acknowledged.
	 * @return the good inputs, in id order
	 */
	List<TestRecords.Input> finish() {
		this.finishing = true;
		await().atMost(Duration.ofMinutes(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.failure.get() != null || (!this.thread.isAlive() && this.acknowledged.get() == sent()));
		if (this.failure.get() != null) {
			throw new IllegalStateException("The load could not be produced", this.failure.get());
		}
		return inputs();
	}

	List<TestRecords.Input> inputs() {
		synchronized (this.inputs) {
			return List.copyOf(this.inputs);
		}
	}

	List<Long> poisonIds() {
		synchronized (this.poisonIds) {
			return List.copyOf(this.poisonIds);
		}
	}

	String topic() {
		return this.topic;
	}

	@Override
	public void close() {
		this.stopped = true;
		try {
			this.thread.join(TimeUnit.SECONDS.toMillis(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.producer.close(Duration.ofSeconds(10));
	}

}
