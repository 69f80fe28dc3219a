package dev.kafkastream.benchmarks;

import java.time.Duration;

/**
 * What the harness tells a contender JVM, through system properties: where to read, where to write, the
 * guarantee and the commit interval.
 *
 * @param bootstrapServers the broker
 * @param input the input topic
 * @param output the output topic
 * @param group the consumer group (Kafka Streams: the application id)
 * @param guarantee {@code none}, {@code at-least-once} or {@code exactly-once}
 * @param interval the commit or checkpoint interval
 * @param id a name unique to this run, used for transactional ids
 */
public record ContenderSettings(String bootstrapServers, String input, String output, String group, String guarantee,
		Duration interval, String id) {

	static final String PREFIX = "bench.";

	/**
	 * Reads the settings of the current (contender) JVM.
	 * @return the settings
	 */
	public static ContenderSettings fromSystemProperties() {
		return new ContenderSettings(required("bootstrap-servers"), required("input"), required("output"),
				required("group"), required("guarantee"), Duration.ofMillis(Long.parseLong(required("interval-ms"))),
				required("id"));
	}

	public boolean exactlyOnce() {
		return "exactly-once".equals(this.guarantee);
	}

	public boolean atLeastOnce() {
		return "at-least-once".equals(this.guarantee);
	}

	private static String required(String name) {
		String value = System.getProperty(PREFIX + name);
		if (value == null) {
			throw new IllegalStateException("System property " + PREFIX + name + " is not set");
		}
		return value;
	}

}
