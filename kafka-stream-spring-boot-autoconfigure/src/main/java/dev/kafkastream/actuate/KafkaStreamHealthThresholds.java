package dev.kafkastream.actuate;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * When the {@link KafkaStreamHealthIndicator} reports a problem.
 *
 * @param maxCheckpointAge time without a completed checkpoint after which the health is
 * {@code DOWN}, counted from the later of the last completed checkpoint and the start of
 * the pipelines
 * @param toleratedCheckpointFailures checkpoints that may fail in a row before the health
 * is {@code DOWN}
 * @param maxLag total lag of a source, in records, above which the health is
 * {@code OUT_OF_SERVICE}; {@code null} for no limit
 */
public record KafkaStreamHealthThresholds(Duration maxCheckpointAge, int toleratedCheckpointFailures,
		@Nullable Long maxLag) {

	public KafkaStreamHealthThresholds {
		Objects.requireNonNull(maxCheckpointAge, "maxCheckpointAge");
		if (maxCheckpointAge.isNegative() || maxCheckpointAge.isZero()) {
			throw new IllegalArgumentException("The maximum checkpoint age must be positive");
		}
		if (toleratedCheckpointFailures < 0) {
			throw new IllegalArgumentException("The tolerated checkpoint failures must not be negative");
		}
		if (maxLag != null && maxLag < 0) {
			throw new IllegalArgumentException("The maximum lag must not be negative");
		}
	}

}
