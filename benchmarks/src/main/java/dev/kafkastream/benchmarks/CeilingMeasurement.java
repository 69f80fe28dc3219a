package dev.kafkastream.benchmarks;

import java.util.List;

/**
 * What the {@linkplain ProducerCeiling single-producer ceiling} achieved: its median run (by
 * {@code recordsPerSecond}) and the records/s of every run.
 *
 * @param producerSettings the producer settings it ran with, as {@code name=value} texts
 * @param recordsPerSecond the rate {@code ProducerPerformance} reports: records over the time from its first send
 * to its producer closed (JVM start and producer creation excluded)
 * @param steadyRecordsPerSecond records over the broker append times of the first and last record, as the
 * contenders' steady records/s
 * @param peakRssMb peak resident memory of its JVM
 * @param cpuSecondsPerMillion CPU seconds of its JVM per million records
 * @param steadyCpuSecondsPerMillion the same while {@code ProducerPerformance} ran (JVM start excluded)
 * @param brokerCpuSecondsPerMillion CPU seconds of the broker per million records during the run
 * @param runs {@code recordsPerSecond} of every run, in order
 * @param failures what went wrong in runs that did not complete (not counted)
 */
record CeilingMeasurement(List<String> producerSettings, double recordsPerSecond, double steadyRecordsPerSecond,
		double peakRssMb, double cpuSecondsPerMillion, double steadyCpuSecondsPerMillion,
		double brokerCpuSecondsPerMillion, List<Double> runs, List<String> failures) {

	/** Whether at least one run completed (otherwise the figures are {@code NaN}). */
	boolean measured() {
		return !this.runs.isEmpty();
	}

}
