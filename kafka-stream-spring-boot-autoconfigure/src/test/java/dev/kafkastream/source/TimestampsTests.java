package dev.kafkastream.source;

import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Timestamps}.
 */
class TimestampsTests {

	/**
	 * 2024-05-01T00:00:00Z, which is 2024-05-01 08:00:00 in Shanghai.
	 */
	private static final long MAY_FIRST_UTC = 1_714_521_600_000L;

	private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

	@Test
	void readsEpochMillis() {
		assertThat(Timestamps.parse("1714521600000", SHANGHAI)).isEqualTo(MAY_FIRST_UTC);
		assertThat(Timestamps.parse("0", SHANGHAI)).isZero();
	}

	@Test
	void ignoresSurroundingWhitespace() {
		assertThat(Timestamps.parse("  1714521600000 ", SHANGHAI)).isEqualTo(MAY_FIRST_UTC);
		assertThat(Timestamps.parse(" 2024-05-01 08:00:00\t", SHANGHAI)).isEqualTo(MAY_FIRST_UTC);
	}

	@Test
	void readsIsoInstantsWhateverTheZone() {
		assertThat(Timestamps.parse("2024-05-01T00:00:00Z", SHANGHAI)).isEqualTo(MAY_FIRST_UTC);
		assertThat(Timestamps.parse("2024-05-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo(MAY_FIRST_UTC);
		assertThat(Timestamps.parse("2024-05-01T10:00:00+10:00", ZoneOffset.UTC)).isEqualTo(MAY_FIRST_UTC);
		assertThat(Timestamps.parse("2024-04-30T20:00:00-04:00", SHANGHAI)).isEqualTo(MAY_FIRST_UTC);
		assertThat(Timestamps.parse("2024-05-01T00:00:00.123Z", SHANGHAI)).isEqualTo(MAY_FIRST_UTC + 123);
	}

	@Test
	void readsLocalDateAndTimeInTheGivenZone() {
		assertThat(Timestamps.parse("2024-05-01 08:00:00", SHANGHAI)).isEqualTo(MAY_FIRST_UTC);
		assertThat(Timestamps.parse("2024-05-01 00:00:00", ZoneOffset.UTC)).isEqualTo(MAY_FIRST_UTC);
		assertThat(Timestamps.parse("2024-05-01 08:00:00", ZoneOffset.UTC))
			.isEqualTo(MAY_FIRST_UTC + 8 * 3_600_000L);
		assertThat(Timestamps.parse("2024-05-01 02:00:00", ZoneId.of("Europe/Berlin"))).isEqualTo(MAY_FIRST_UTC);
	}

	@Test
	void readsIsoLocalDateAndTimeInTheGivenZone() {
		assertThat(Timestamps.parse("2024-05-01T08:00:00", SHANGHAI)).isEqualTo(MAY_FIRST_UTC);
	}

	@Test
	void rejectsTextInNoAcceptedForm() {
		for (String text : new String[] { "yesterday", "2024-05-01", "2024-05-01 08:00", "2024-13-01 00:00:00",
				"2024-05-01 25:00:00", "01/05/2024 08:00:00", "", "   ", "-1" }) {
			assertThatIllegalArgumentException().as(text)
				.isThrownBy(() -> Timestamps.parse(text, SHANGHAI))
				.withMessageContaining("'" + text + "' is not a timestamp")
				.withMessageContaining("epoch milliseconds")
				.withMessageContaining("yyyy-MM-dd HH:mm:ss");
		}
	}

}
