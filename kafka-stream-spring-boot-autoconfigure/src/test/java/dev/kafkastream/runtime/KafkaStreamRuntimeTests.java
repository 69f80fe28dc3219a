package dev.kafkastream.runtime;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaStreamRuntime}.
 */
class KafkaStreamRuntimeTests {

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	@Test
	void firstCheckpointAfterAShortHoldComesAnIntervalAfterTheStart() {
		assertThat(KafkaStreamRuntime.firstCheckpointDelay(INTERVAL, Duration.ofMillis(300)))
			.isEqualTo(Duration.ofMillis(700));
	}

	@Test
	void firstCheckpointAfterAHoldLongerThanAnIntervalComesAQuarterIntervalAfterTheRelease() {
		assertThat(KafkaStreamRuntime.firstCheckpointDelay(INTERVAL, Duration.ofMillis(1500)))
			.isEqualTo(Duration.ofMillis(250));
		assertThat(KafkaStreamRuntime.firstCheckpointDelay(INTERVAL, Duration.ofMillis(900)))
			.isEqualTo(Duration.ofMillis(250));
	}

}
