package dev.kafkastream.benchmarks;

import java.time.Duration;

/** Short duration texts: {@code 100ms}, {@code 1s}. */
final class Durations {

	private Durations() {
	}

	static String text(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

}
