package dev.kafkastream.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes benchmark records to an input topic: all at once ({@link #preload}) or at a fixed rate with the send time
 * as the record timestamp ({@link #offer}).
 */
final class InputProducer implements AutoCloseable {

	private final KafkaProducer<byte[], byte[]> producer;

	private final AtomicReference<Exception> failure = new AtomicReference<>();

	private final int keys;

	private final int recordSize;

	InputProducer(String bootstrapServers, int keys, int recordSize, int lingerMs) {
		Map<String, Object> config = new HashMap<>();
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
		config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
		this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
		this.keys = keys;
		this.recordSize = recordSize;
	}

	/** Sends records {@code 0..count-1} as fast as the broker takes them. */
	void preload(String topic, int count) {
		for (int id = 0; id < count; id++) {
			send(topic, id, null);
		}
		flush();
	}

	/**
	 * Sends records {@code 0..count-1} at {@code ratePerSecond}, each stamped with the time it is sent.
	 * @return the epoch millisecond of the first send
	 */
	long offer(String topic, long count, int ratePerSecond) {
		long start = System.nanoTime();
		long startMillis = System.currentTimeMillis();
		long sent = 0;
		while (sent < count) {
			long due = Math.min(count, (System.nanoTime() - start) * ratePerSecond / TimeUnit.SECONDS.toNanos(1) + 1);
			long now = System.currentTimeMillis();
			while (sent < due) {
				send(topic, sent++, now);
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		flush();
		return startMillis;
	}

	private void send(String topic, long id, Long timestamp) {
		this.producer.send(new ProducerRecord<>(topic, null, timestamp, BenchmarkRecords.key(id, this.keys),
				BenchmarkRecords.value(id, this.keys, this.recordSize)), (metadata, ex) -> {
					if (ex != null) {
						this.failure.compareAndSet(null, ex);
					}
				});
	}

	private void flush() {
		this.producer.flush();
		if (this.failure.get() != null) {
			throw new IllegalStateException("Writing the input failed", this.failure.get());
		}
	}

	@Override
	public void close() {
		this.producer.close();
	}

}
