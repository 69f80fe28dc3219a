package dev.kafkastream.faults;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import static org.awaitility.Awaitility.await;

/**
 * Watches the offsets the application's group committed: under both guarantees they move
 * only when a checkpoint commits output, so their growth after a fault is the moment the
 * pipeline recovered.
 */
final class CommitProgress {

	private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

	private final Admin admin;

	private final String group;

	CommitProgress(Admin admin, String group) {
		this.admin = admin;
		this.group = group;
	}

	/**
	 * The committed offsets of the group.
	 * @return the offsets by partition
	 * @throws IllegalStateException when the broker does not answer within 2 seconds
	 */
	Map<TopicPartition, Long> committedOffsets() {
		try {
			Map<TopicPartition, OffsetAndMetadata> offsets = this.admin.listConsumerGroupOffsets(this.group)
				.partitionsToOffsetAndMetadata()
				.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
			return offsets.entrySet()
				.stream()
				.filter((entry) -> entry.getValue() != null)
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("The broker did not tell the offsets of group " + this.group, ex);
		}
	}

	/**
	 * The sum of the committed offsets of the group.
	 * @return the sum
	 */
	long committed() {
		return committedOffsets().values().stream().mapToLong(Long::longValue).sum();
	}

	/**
	 * The sum of the committed offsets of the group, once a broker that is starting
	 * answers.
	 * @return the sum
	 */
	long committedOnceAnswering() {
		AtomicLong sum = new AtomicLong();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
			sum.set(committed());
			return true;
		});
		return sum.get();
	}

	/**
	 * Waits until the group commits past a baseline and tells how long after the heal that
	 * was.
	 * @param healedAt the {@link System#nanoTime()} the fault was healed at
	 * @param baseline the committed sum before the heal
	 * @param timeout how long to wait at most
	 * @return the recovery time
	 */
	Duration awaitGrowth(long healedAt, long baseline, Duration timeout) {
		AtomicLong grownAt = new AtomicLong();
		await().atMost(timeout).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
			if (committed() > baseline) {
				grownAt.set(System.nanoTime());
				return true;
			}
			return false;
		});
		return Duration.ofNanos(grownAt.get() - healedAt);
	}

	/**
	 * Waits until the group commits past a baseline on every partition of it and tells how
	 * long after the heal that was.
	 * @param healedAt the {@link System#nanoTime()} the fault was healed at
	 * @param baseline the committed offsets to grow past, by partition
	 * @param timeout how long to wait at most
	 * @return the recovery time
	 */
	Duration awaitGrowthOnEvery(long healedAt, Map<TopicPartition, Long> baseline, Duration timeout) {
		AtomicLong grownAt = new AtomicLong();
		await().atMost(timeout).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
			Map<TopicPartition, Long> committed = committedOffsets();
			if (baseline.entrySet()
				.stream()
				.allMatch((entry) -> committed.getOrDefault(entry.getKey(), -1L) > entry.getValue())) {
				grownAt.set(System.nanoTime());
				return true;
			}
			return false;
		});
		return Duration.ofNanos(grownAt.get() - healedAt);
	}

	/**
	 * Waits until the group committed at least a number of records.
	 * @param records the number
	 */
	void awaitCommitted(long records) {
		await().atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> committed() >= records);
	}

}
