package dev.kafkastream.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the {@code kafkaStream} health indicator.
 */
@ConfigurationProperties("management.health.kafkastream")
public class KafkaStreamHealthIndicatorProperties {

	/**
	 * Time without a completed checkpoint, while a pipeline is starting, running or
	 * paused, after which the health is DOWN. Counted from the later of the last completed
	 * checkpoint and the start of the pipelines. Defaults to three checkpoint cycles: 3 x
	 * (kafka-stream.checkpoint.interval + min-pause + timeout).
	 */
	private @Nullable Duration maxCheckpointAge;

	/**
	 * Number of checkpoints that may fail in a row before the health is DOWN.
	 */
	private int toleratedCheckpointFailures = 3;

	/**
	 * Total lag of a source on this instance, in records, above which the health is
	 * OUT_OF_SERVICE. By default the lag does not change the health.
	 */
	private @Nullable Long maxLag;

	public @Nullable Duration getMaxCheckpointAge() {
		return this.maxCheckpointAge;
	}

	public void setMaxCheckpointAge(@Nullable Duration maxCheckpointAge) {
		this.maxCheckpointAge = maxCheckpointAge;
	}

	public int getToleratedCheckpointFailures() {
		return this.toleratedCheckpointFailures;
	}

	public void setToleratedCheckpointFailures(int toleratedCheckpointFailures) {
		this.toleratedCheckpointFailures = toleratedCheckpointFailures;
	}

	public @Nullable Long getMaxLag() {
		return this.maxLag;
	}

	public void setMaxLag(@Nullable Long maxLag) {
		this.maxLag = maxLag;
	}

}
