package dev.kafkastream.autoconfigure;

/**
 * What the start-up checks against the brokers do with the problems they find
 * ({@code kafka-stream.validate-on-startup}).
 */
public enum StartupValidation {

	/**
	 * Fail the start-up, listing every problem found, before any record is processed.
	 */
	FAIL,

	/**
	 * Log every problem found as a warning and start anyway.
	 */
	WARN,

	/**
	 * Skip the checks: the pipelines start without asking the brokers.
	 */
	OFF

}
