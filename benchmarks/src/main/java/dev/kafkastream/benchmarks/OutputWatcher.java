package dev.kafkastream.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a contender's output topic with {@code read_committed} while the contender runs: when each record becomes
 * visible, which ids arrived (once, twice or not at all), whether each key's ids arrive in order, and, for a latency
 * run, each record's produce-to-visible latency. The verifier and the stopwatch in one.
 */
final class OutputWatcher implements AutoCloseable {

	private final KafkaConsumer<byte[], byte[]> consumer;

	private final List<TopicPartition> partitions;

	private final int expected;

	private final BitSet seen;

	private final int[] lastIdPerKey;

	private final long latencyFrom;

	private final long latencyUntil;

	private final CountDownLatch complete = new CountDownLatch(1);

	private final Thread thread;

	private long[] latencies = new long[1024];

	private int latencyCount;

	private volatile int distinct;

	private volatile long duplicates;

	private volatile long outOfOrder;

	private volatile long firstVisibleMillis;

	private volatile long lastVisibleMillis;

	private long firstAppendTime = Long.MAX_VALUE;

	private long lastAppendTime = Long.MIN_VALUE;

	private volatile boolean finishing;

	private volatile RuntimeException failure;

	/**
	 * Creates a watcher; {@link #start()} starts reading from the beginning of the topic.
	 * @param bootstrapServers the broker
	 * @param topic the output topic (must exist)
	 * @param partitionCount its partitions
	 * @param expected how many distinct ids complete the run
	 * @param keys distinct keys
	 * @param latencyFrom record latencies of records produced at or after this epoch millisecond
	 * @param latencyUntil and before this one
	 */
	OutputWatcher(String bootstrapServers, String topic, int partitionCount, int expected, int keys, long latencyFrom,
			long latencyUntil) {
		Map<String, Object> config = new HashMap<>();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
		config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
		this.partitions = IntStream.range(0, partitionCount)
			.mapToObj((p) -> new TopicPartition(topic, p))
			.toList();
		this.expected = expected;
		this.seen = new BitSet(expected);
		this.lastIdPerKey = new int[keys];
		Arrays.fill(this.lastIdPerKey, -1);
		this.latencyFrom = latencyFrom;
		this.latencyUntil = latencyUntil;
		this.thread = new Thread(this::run, "output-watcher-" + topic);
		this.thread.setDaemon(true);
	}

	OutputWatcher start() {
		this.thread.start();
		return this;
	}

	/**
	 * Waits until every expected id is visible.
	 * @param timeout how long to wait at most
	 * @param contender the contender process; waiting ends early if it exits
	 * @return {@code true} if complete
	 */
	boolean awaitComplete(Duration timeout, Process contender) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (this.complete.await(200, TimeUnit.MILLISECONDS)) {
				return true;
			}
			if (this.failure != null) {
				throw this.failure;
			}
			if (!contender.isAlive()) {
				return this.complete.await(2, TimeUnit.SECONDS);
			}
		}
		return false;
	}

	/**
	 * Reads on up to the current {@code read_committed} end of every partition, then stops.
	 */
	void finish() throws InterruptedException {
		this.finishing = true;
		this.thread.join(TimeUnit.SECONDS.toMillis(60));
		if (this.failure != null) {
			throw this.failure;
		}
	}

	int distinct() {
		return this.distinct;
	}

	long duplicates() {
		return this.duplicates;
	}

	long outOfOrder() {
		return this.outOfOrder;
	}

	long firstVisibleMillis() {
		return this.firstVisibleMillis;
	}

	long lastVisibleMillis() {
		return this.lastVisibleMillis;
	}

	/** Broker append time of the first output record (output topics of throughput runs). */
	long firstAppendTime() {
		return this.firstAppendTime;
	}

	/** Broker append time of the first and last output record (output topics of throughput runs). */
	long appendTimeSpanMillis() {
		return this.lastAppendTime - this.firstAppendTime;
	}

	long[] sortedLatencies() {
		long[] result = Arrays.copyOf(this.latencies, this.latencyCount);
		Arrays.sort(result);
		return result;
	}

	@Override
	public void close() {
		this.finishing = true;
		try {
			this.thread.join(TimeUnit.SECONDS.toMillis(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void run() {
		try {
			this.consumer.assign(this.partitions);
			this.consumer.seekToBeginning(this.partitions);
			Map<TopicPartition, Long> finalEnds = null;
			while (true) {
				if (this.finishing) {
					if (finalEnds == null) {
						finalEnds = this.consumer.endOffsets(this.partitions);
					}
					if (caughtUp(finalEnds)) {
						return;
					}
				}
				for (ConsumerRecord<byte[], byte[]> record : this.consumer.poll(Duration.ofMillis(50))) {
					accept(record, System.currentTimeMillis());
				}
			}
		}
		catch (RuntimeException ex) {
			this.failure = ex;
		}
		finally {
			this.consumer.close(Duration.ofSeconds(1));
		}
	}

	private boolean caughtUp(Map<TopicPartition, Long> ends) {
		for (TopicPartition partition : this.partitions) {
			if (this.consumer.position(partition) < ends.get(partition)) {
				return false;
			}
		}
		return true;
	}

	private void accept(ConsumerRecord<byte[], byte[]> record, long now) {
		if (this.firstVisibleMillis == 0) {
			this.firstVisibleMillis = now;
		}
		int id = BenchmarkRecords.id(record.value());
		if (id >= this.expected || this.seen.get(id)) {
			this.duplicates++;
		}
		else {
			this.seen.set(id);
			this.distinct++;
			if (this.distinct == this.expected) {
				this.lastVisibleMillis = now;
				this.complete.countDown();
			}
		}
		int key = BenchmarkRecords.keyIndex(record.key());
		if (id <= this.lastIdPerKey[key]) {
			this.outOfOrder++;
		}
		this.lastIdPerKey[key] = id;
		if (record.timestampType() == TimestampType.LOG_APPEND_TIME) {
			this.firstAppendTime = Math.min(this.firstAppendTime, record.timestamp());
			this.lastAppendTime = Math.max(this.lastAppendTime, record.timestamp());
		}
		else if (record.timestamp() >= this.latencyFrom && record.timestamp() < this.latencyUntil) {
			if (this.latencyCount == this.latencies.length) {
				this.latencies = Arrays.copyOf(this.latencies, this.latencies.length * 2);
			}
			this.latencies[this.latencyCount++] = now - record.timestamp();
		}
	}

}
