package dev.kafkastream.runtime;

import java.time.Duration;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FencingDetector}.
 */
class FencingDetectorTests {

	private final FencingDetector detector = new FencingDetector();

	@Test
	void oneFencingIsRecoveredFrom() {
		assertThat(this.detector.fencedTooOften(new ProducerFencedException("fenced"), 0)).isFalse();
	}

	@Test
	void repeatedFencingWithinTheWindowIsTooOften() {
		long second = Duration.ofSeconds(1).toNanos();
		assertThat(this.detector.fencedTooOften(new ProducerFencedException("fenced"), 0)).isFalse();
		assertThat(this.detector.fencedTooOften(new KafkaException(new InvalidProducerEpochException("epoch")),
				10 * second)).isFalse();
		assertThat(this.detector.fencedTooOften(new ProducerFencedException("fenced"), 20 * second)).isTrue();
	}

	@Test
	void fencingsOutsideTheWindowAreForgotten() {
		long window = FencingDetector.WINDOW.toNanos();
		this.detector.fencedTooOften(new ProducerFencedException("fenced"), 0);
		this.detector.fencedTooOften(new ProducerFencedException("fenced"), 1);
		assertThat(this.detector.fencedTooOften(new ProducerFencedException("fenced"), window + 10)).isFalse();
	}

	@Test
	void otherFailuresDoNotCount() {
		for (int i = 0; i < 5; i++) {
			assertThat(this.detector.fencedTooOften(new IllegalStateException("handler"), i)).isFalse();
		}
	}

}
