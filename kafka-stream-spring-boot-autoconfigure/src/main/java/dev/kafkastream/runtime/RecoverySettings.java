package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How a worker recovers from a failure: it rolls back to the last checkpoint, waits a
 * backoff that grows exponentially, and tries again; after {@code maxAttempts} failures
 * in a row without a completed checkpoint its pipeline fails.
 *
 * @param initialBackoff the wait after the first failure
 * @param maxBackoff the longest wait
 * @param maxAttempts the number of failures in a row after which the pipeline fails
 */
public record RecoverySettings(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {

	public RecoverySettings {
		Objects.requireNonNull(initialBackoff, "initialBackoff");
		Objects.requireNonNull(maxBackoff, "maxBackoff");
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1");
		}
	}

	/**
	 * The defaults: 500 ms doubling up to 30 s, failing after 10 failures in a row.
	 * @return the default settings
	 */
	public static RecoverySettings defaults() {
		return new RecoverySettings(Duration.ofMillis(500), Duration.ofSeconds(30), 10);
	}

	Duration backoff(int failures) {
		long millis = this.initialBackoff.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
		return Duration.ofMillis(Math.min(millis, this.maxBackoff.toMillis()));
	}

}
