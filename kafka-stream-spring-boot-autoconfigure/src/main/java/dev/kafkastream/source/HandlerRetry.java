package dev.kafkastream.source;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a worker calls the handler on a record that it throws on before the
 * {@link HandlerErrorPolicy} applies. The retries happen in place: on the worker's thread,
 * without rolling back or aborting the open transaction. The wait before a retry starts at
 * {@code initialBackoff} and doubles up to {@code maxBackoff}. The worker keeps polling
 * its (paused) consumer and taking checkpoints while it waits, so the waits are limited
 * neither by {@code max.poll.interval.ms} nor by the transaction timeout.
 *
 * @param maxAttempts the number of calls of the handler on one record, the first included
 * @param initialBackoff the wait before the first retry
 * @param maxBackoff the longest wait before a retry
 */
public record HandlerRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

	public HandlerRetry {
		Objects.requireNonNull(initialBackoff, "initialBackoff");
		Objects.requireNonNull(maxBackoff, "maxBackoff");
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1");
		}
		if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
			throw new IllegalArgumentException("Backoffs must not be negative");
		}
	}

	/**
	 * The defaults: 3 attempts, waiting 100 ms and then 200 ms (doubling up to 1 s).
	 * @return the default retry
	 */
	public static HandlerRetry defaults() {
		return new HandlerRetry(3, Duration.ofMillis(100), Duration.ofSeconds(1));
	}

	/**
	 * No retry: the policy applies to the first failure.
	 * @return a retry of a single attempt
	 */
	public static HandlerRetry none() {
		return new HandlerRetry(1, Duration.ZERO, Duration.ZERO);
	}

	/**
	 * The wait before the next attempt.
	 * @param failedAttempts the attempts that failed so far, at least 1
	 * @return the backoff
	 */
	public Duration backoff(int failedAttempts) {
		long initial = this.initialBackoff.toMillis();
		int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
		long millis = (initial > (Long.MAX_VALUE >> doublings)) ? Long.MAX_VALUE : initial << doublings;
		return Duration.ofMillis(Math.min(millis, this.maxBackoff.toMillis()));
	}

	/**
	 * The longest time the retries of one record may wait in all: the sum of the
	 * backoffs before each retry.
	 * @return the total backoff
	 */
	public Duration totalBackoff() {
		long total = 0;
		long max = this.maxBackoff.toMillis();
		int failed = 1;
		for (; failed < this.maxAttempts; failed++) {
			long backoff = backoff(failed).toMillis();
			if (backoff >= max) {
				break;
			}
			total += backoff;
		}
		// every further wait is the longest one
		try {
			return Duration.ofMillis(Math.addExact(total, Math.multiplyExact((long) (this.maxAttempts - failed), max)));
		}
		catch (ArithmeticException ex) {
			return Duration.ofMillis(Long.MAX_VALUE);
		}
	}

}
