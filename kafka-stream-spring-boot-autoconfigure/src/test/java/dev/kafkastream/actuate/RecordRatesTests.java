package dev.kafkastream.actuate;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecordRates}.
 */
class RecordRatesTests {

	private static final long SECOND = Duration.ofSeconds(1).toNanos();

	private final RecordRates rates = new RecordRates();

	@Test
	void unknownUntilTwoSamplesASecondApart() {
		assertThat(this.rates.perSecond("in", 0, 0)).isNull();
		assertThat(this.rates.perSecond("in", 50, SECOND / 2)).isNull();
		assertThat(this.rates.perSecond("in", 100, SECOND)).isEqualTo(100.0);
	}

	@Test
	void rateCoversAboutTheLastMinute() {
		this.rates.perSecond("in", 0, 0);
		// 1000 records/s for a minute, then nothing for a minute
		for (int second = 1; second <= 60; second++) {
			this.rates.perSecond("in", second * 1_000L, second * SECOND);
		}
		assertThat(this.rates.perSecond("in", 60_000, 60 * SECOND)).isEqualTo(1_000.0);
		for (int second = 61; second <= 120; second++) {
			this.rates.perSecond("in", 60_000, second * SECOND);
		}
		assertThat(this.rates.perSecond("in", 60_000, 121 * SECOND)).isZero();
	}

	@Test
	void aNewRunStartsAfresh() {
		this.rates.perSecond("in", 5_000, 0);
		this.rates.perSecond("in", 6_000, SECOND);
		assertThat(this.rates.perSecond("in", 10, 2 * SECOND)).as("counts restarted from zero").isNull();
		assertThat(this.rates.perSecond("in", 210, 3 * SECOND)).isEqualTo(200.0);
	}

	@Test
	void sourcesAreTrackedApart() {
		this.rates.perSecond("a", 0, 0);
		this.rates.perSecond("b", 0, 0);
		assertThat(this.rates.perSecond("a", 10, SECOND)).isEqualTo(10.0);
		assertThat(this.rates.perSecond("b", 30, SECOND)).isEqualTo(30.0);
	}

}
