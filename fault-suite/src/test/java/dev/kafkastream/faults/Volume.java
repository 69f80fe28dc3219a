package dev.kafkastream.faults;

import java.time.Duration;

/**
 * How much each scenario does: the normal build runs every scenario at reduced volume, a
 * few minutes in all; {@code -Pfault-suite} ({@code fault-suite.full=true}) runs the full
 * volume, at least 200,000 records per scenario.
 * @param records records each scenario copies
 * @param recordsPerSecond the steady rate the load is produced at
 * @param kills application kills and SIGTERM restarts per scenario
 * @param brokerBounces broker kills and restarts
 * @param blackholes network blackholes
 * @param blackhole how long each blackhole lasts
 * @param resets rounds of connection resets
 */
record Volume(int records, int recordsPerSecond, int kills, int brokerBounces, int blackholes, Duration blackhole,
		int resets) {

	static final Volume FAST = new Volume(12_000, 2_000, 2, 1, 1, Duration.ofSeconds(5), 2);

	static final Volume FULL = new Volume(200_000, 5_000, 5, 2, 2, Duration.ofSeconds(20), 4);

	static Volume current() {
		return Boolean.getBoolean("fault-suite.full") ? FULL : FAST;
	}

	/**
	 * How long producing the load takes.
	 * @return the duration
	 */
	Duration loadDuration() {
		return Duration.ofMillis(1000L * this.records / this.recordsPerSecond);
	}

}
