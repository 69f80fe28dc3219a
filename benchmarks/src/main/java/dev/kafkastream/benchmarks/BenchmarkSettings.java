package dev.kafkastream.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
 * @param contenders contender names to run ({@code all}, or names and {@code prefix*} patterns, or the name of a
 * {@linkplain #SETS set}), {@value ProducerCeiling#NAME} for the single-producer ceiling
 * @param report where to write the Markdown report
 * @param profile whether starter contenders run with a Java Flight Recorder profile
 * @param repeat how many throughput runs each contender gets (the median one is reported)
 * @param starterArgs extra JVM arguments of the starter's contender JVMs (space separated), for experiments
 * @param latencyContenders the contenders that get a latency run (names and patterns as {@code contenders}; by
 * default {@code all}, or the set's own list when {@code contenders} names a set)
 */
record BenchmarkSettings(int records, int recordSize, int keys, int partitions, String heap, int latencyRate,
		Duration latencyWarmup, Duration latencyDuration, List<String> contenders, Path report, boolean profile,
		int repeat, List<String> starterArgs, List<String> latencyContenders) {

	/**
	 * Named sets for {@code benchmark.contenders}: the contenders one report needs, and those of them whose latency
	 * a target reads. Names this build does not have are skipped.
	 */
	static final Map<String, ContenderSet> SETS = Map.of("issue15", new ContenderSet(
			List.of("starter-eos-1s", "starter-alo-1s", "starter-eos-1s-fast", "starter-alo-1s-fast",
					"starter-json-eos-1s", "starter-json-alo-1s", "starter-batch-eos-1s", "plain-eos-1s",
					"plain-alo-1s", "streams-eos-1s", ProducerCeiling.NAME),
			List.of("starter-eos-1s", "starter-json-eos-1s", "starter-batch-eos-1s")));

	static BenchmarkSettings fromSystemProperties() {
		List<String> contenders = list(property("contenders", "all"));
		ContenderSet set = (contenders.size() == 1) ? SETS.get(contenders.get(0)) : null;
		String latencyContenders = property("latency-contenders", "");
		return new BenchmarkSettings(intProperty("records", 1_000_000), intProperty("record-size", 100),
				intProperty("keys", 10_000), intProperty("partitions", 3), property("heap", "256m"),
				intProperty("latency-rate", 20_000), durationProperty("latency-warmup", "10s"),
				durationProperty("latency-duration", "20s"), (set != null) ? set.contenders() : contenders,
				Path.of(property("report", "BENCHMARKS.md")), Boolean.parseBoolean(property("profile", "false")), intProperty("repeat", 3),
				Arrays.stream(property("starter-args", "").split(" ")).filter((arg) -> !arg.isBlank()).toList(),
				!latencyContenders.isEmpty() ? list(latencyContenders)
						: (set != null) ? set.latencyContenders() : List.of("all"));
	}

	boolean selects(String name) {
		return matches(this.contenders, name);
	}

	boolean selectsLatency(String name) {
		return !this.latencyDuration.isZero() && matches(this.latencyContenders, name);
	}

	/**
	 * The names in {@code contenders} that are neither patterns nor one of {@code known}.
	 * @param known the names this build has
	 * @return the unknown names
	 */
	List<String> unknownContenders(List<String> known) {
		return this.contenders.stream()
			.filter((name) -> !name.equals("all") && !name.endsWith("*") && !known.contains(name))
			.toList();
	}

	private static boolean matches(List<String> patterns, String name) {
		return patterns.stream()
			.anyMatch((pattern) -> pattern.equals("all") || pattern.equals(name)
					|| (pattern.endsWith("*") && name.startsWith(pattern.substring(0, pattern.length() - 1))));
	}

	private static List<String> list(String names) {
		return Arrays.stream(names.split(",")).map(String::trim).filter((name) -> !name.isEmpty()).toList();
	}

	long latencyRecords() {
		return this.latencyRate * (this.latencyWarmup.plus(this.latencyDuration).toMillis()) / 1000;
	}

	/**
	 * A named set of contenders.
	 *
	 * @param contenders the contenders it runs
	 * @param latencyContenders those of them that get a latency run
	 */
	record ContenderSet(List<String> contenders, List<String> latencyContenders) {
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
