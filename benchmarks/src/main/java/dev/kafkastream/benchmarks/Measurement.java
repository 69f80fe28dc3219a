package dev.kafkastream.benchmarks;

/**
 * What one contender achieved in one run.
 *
 * @param contender the contender
 * @param recordsPerSecond records over the time from process launch to the last record visible
 * @param steadyRecordsPerSecond records over the broker append times of the first and last output record
 * @param startupMillis process launch to the first output record visible
 * @param p50Millis median produce-to-visible latency at the offered load
 * @param p99Millis 99th percentile of it
 * @param maxMillis its maximum
 * @param peakRssMb peak resident memory of the contender JVM in the throughput run
 * @param cpuSecondsPerMillion CPU seconds of the contender JVM per million records in the throughput run
 * @param steadyCpuSecondsPerMillion the same from its first output record on (start-up excluded)
 * @param brokerCpuSecondsPerMillion CPU seconds of the broker per million records during the throughput run
 * @param steadyBrokerCpuSecondsPerMillion the same from the contender's first output record on
 * @param verification {@code null} if every check passed, otherwise what failed
 */
record Measurement(Contender contender, double recordsPerSecond, double steadyRecordsPerSecond, long startupMillis,
		long p50Millis, long p99Millis, long maxMillis, double peakRssMb, double cpuSecondsPerMillion,
		double steadyCpuSecondsPerMillion, double brokerCpuSecondsPerMillion, double steadyBrokerCpuSecondsPerMillion,
		String verification) {

	boolean verified() {
		return this.verification == null;
	}

}
