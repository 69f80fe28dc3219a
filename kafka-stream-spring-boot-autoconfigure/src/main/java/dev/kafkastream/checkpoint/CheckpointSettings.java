package dev.kafkastream.checkpoint;

import java.time.Duration;
import java.util.Objects;

/**
 * How often checkpoints are taken and how long one may take.
 *
 * @param interval time between the triggers of two checkpoints
 * @param timeout time after which a checkpoint that is not acknowledged by every
 * participant fails
 * @param minPause minimum time between the end of one checkpoint and the trigger of the
 * next
 * @param historySize number of recent checkpoints kept for inspection
 */
public record CheckpointSettings(Duration interval, Duration timeout, Duration minPause, int historySize) {

	public CheckpointSettings {
		Objects.requireNonNull(interval, "interval");
		Objects.requireNonNull(timeout, "timeout");
		Objects.requireNonNull(minPause, "minPause");
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("The checkpoint interval must be positive");
		}
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("The checkpoint timeout must be positive");
		}
		if (minPause.isNegative()) {
			throw new IllegalArgumentException("The minimum pause between checkpoints must not be negative");
		}
		if (historySize < 1) {
			throw new IllegalArgumentException("The checkpoint history must keep at least one checkpoint");
		}
	}

	/**
	 * Settings with the given interval and defaults for the rest: a 30 second timeout, no
	 * pause, and a history of ten checkpoints.
	 * @param interval the checkpoint interval
	 * @return the settings
	 */
	public static CheckpointSettings ofInterval(Duration interval) {
		return new CheckpointSettings(interval, Duration.ofSeconds(30), Duration.ZERO, 10);
	}

}
