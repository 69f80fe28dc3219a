package dev.kafkastream.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.convert.DurationStyle;

/**
 * The harness settings, read from {@code benchmark.*} system properties (the benchmarks module's pom passes them
 * on from the Maven command line).
 *
 * @param records records preloaded into the input topic
 * @param recordSize value size in bytes
 * @param keys distinct keys
 * @param partitions partitions of every topic
 * @param heap {@code -Xmx} of every contender JVM
 * @param latencyRate offered load of the latency runs, records per second
 * @param latencyWarmup how long the load runs before latencies are recorded
 * @param latencyDuration how long latencies are recorded
 * @param contenders contender names to run ({@code all}, or names and {@code prefix*} patterns)
 * @param report where to write the Markdown report
 * @param profile whether starter contenders run with a Java Flight Recorder profile
 * @param repeat how many throughput runs each contender gets (the median one is reported)
 * @param starterArgs extra JVM arguments of the starter's contender JVMs (space separated), for experiments
 */
record BenchmarkSettings(int records, int recordSize, int keys, int partitions, String heap, int latencyRate,
		Duration latencyWarmup, Duration latencyDuration, List<String> contenders, Path report, boolean profile,
		int repeat, List<String> starterArgs) {

	static BenchmarkSettings fromSystemProperties() {
		return new BenchmarkSettings(intProperty("records", 1_000_000), intProperty("record-size", 100),
				intProperty("keys", 10_000), intProperty("partitions", 3), property("heap", "256m"),
				intProperty("latency-rate", 20_000), durationProperty("latency-warmup", "10s"),
				durationProperty("latency-duration", "20s"),
				Arrays.stream(property("contenders", "all").split(",")).map(String::trim).toList(),
				Path.of(property("report", "BENCHMARKS.md")), Boolean.parseBoolean(property("profile", "false")), intProperty("repeat", 3),
				Arrays.stream(property("starter-args", "").split(" ")).filter((arg) -> !arg.isBlank()).toList());
	}

	boolean selects(String name) {
		return this.contenders.stream()
			.anyMatch((pattern) -> pattern.equals("all") || pattern.equals(name)
					|| (pattern.endsWith("*") && name.startsWith(pattern.substring(0, pattern.length() - 1))));
	}

	long latencyRecords() {
		return this.latencyRate * (this.latencyWarmup.plus(this.latencyDuration).toMillis()) / 1000;
	}

	private static String property(String name, String defaultValue) {
		String value = System.getProperty("benchmark." + name);
		return (value == null || value.isBlank()) ? defaultValue : value.trim();
	}

	private static int intProperty(String name, int defaultValue) {
		try {
			return Integer.parseInt(property(name, Integer.toString(defaultValue)));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("benchmark." + name + " must be a whole number", ex);
		}
	}

	private static Duration durationProperty(String name, String defaultValue) {
		try {
			return DurationStyle.detectAndParse(property(name, defaultValue));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("benchmark." + name + " must be a duration such as 10s or 500ms", ex);
		}
	}

}
