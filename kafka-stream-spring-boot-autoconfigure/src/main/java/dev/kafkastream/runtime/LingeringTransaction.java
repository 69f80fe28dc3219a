package dev.kafkastream.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A transaction with one of the application's transactional ids that another instance, or
 * a worker no longer running, left open for longer than a checkpoint interval: it blocks
 * every {@code read_committed} reader of its partitions until this instance aborts it
 * (once it has been open for longer than a whole checkpoint cycle) or the broker times it
 * out.
 *
 * @param transactionalId the producer's transactional id
 * @param producerId the producer id
 * @param started when the transaction began
 * @param abortAfter when this instance aborts it
 * @param partitions the partitions it wrote to, {@code topic-partition}
 */
public record LingeringTransaction(String transactionalId, long producerId, Instant started, Instant abortAfter,
		List<String> partitions) {

	/**
	 * How long it has been open.
	 * @param now the current time
	 * @return the time
	 */
	public Duration openFor(Instant now) {
		return Duration.between(this.started, now);
	}

}
