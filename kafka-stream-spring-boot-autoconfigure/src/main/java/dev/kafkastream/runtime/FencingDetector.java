package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.jspecify.annotations.Nullable;

/**
 * Tells a producer fenced once (a crashed incarnation, a transaction the broker timed out)
 * from producers fencing each other over and over, which is what two application
 * instances configured with the same instance id do.
 */
final class FencingDetector {

	static final int MAX_FENCINGS = 3;

	static final Duration WINDOW = Duration.ofMinutes(2);

	private final Deque<Long> fencings = new ArrayDeque<>();

	/**
	 * Notes a failure.
	 * @param failure the failure
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @return whether the producer was fenced too often within the window
	 */
	boolean fencedTooOften(Throwable failure, long nowNanos) {
		if (!isFencing(failure)) {
			return false;
		}
		this.fencings.addLast(nowNanos);
		while (!this.fencings.isEmpty() && nowNanos - this.fencings.peekFirst() > WINDOW.toNanos()) {
			this.fencings.removeFirst();
		}
		return this.fencings.size() >= MAX_FENCINGS;
	}

	static boolean isFencing(@Nullable Throwable failure) {
		return Causes.find(failure, ProducerFencedException.class) != null
				|| Causes.find(failure, InvalidProducerEpochException.class) != null;
	}

}
