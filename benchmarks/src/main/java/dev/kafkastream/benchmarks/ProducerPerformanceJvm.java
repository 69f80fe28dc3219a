package dev.kafkastream.benchmarks;

import java.util.Locale;

import org.apache.kafka.tools.ProducerPerformance;

/**
 * The JVM of the {@linkplain ProducerCeiling single-producer ceiling}: runs Kafka's {@link ProducerPerformance} with
 * the arguments given, then prints the CPU time this JVM had spent before and after it and its peak resident memory,
 * for the harness to read from its log (the JVM is gone by the time the harness could look at it).
 */
public final class ProducerPerformanceJvm {

	static final String STATS_PREFIX = "[ceiling] ";

	private ProducerPerformanceJvm() {
	}

	public static void main(String[] args) throws Exception {
		// ProducerPerformance formats its figures in the default locale; the harness parses them
		Locale.setDefault(Locale.ROOT);
		long pid = ProcessHandle.current().pid();
		long cpuBefore = ProcessStats.read(pid).cpuMillis();
		ProducerPerformance.main(args);
		ProcessStats after = ProcessStats.read(pid);
		System.out.println(STATS_PREFIX + "cpu-ms-before=" + cpuBefore + " cpu-ms-after=" + after.cpuMillis()
				+ " peak-rss-kb=" + after.peakRssKb());
	}

}
