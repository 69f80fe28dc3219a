package dev.kafkastream.source;

/**
 * What a source does with a record that cannot be deserialised.
 */
public enum DeserializationErrorPolicy {

	/**
	 * Fail the source, naming the record's topic, partition and offset; nothing past it
	 * is committed, and the source does not retry.
	 */
	FAIL,

	/**
	 * Skip the record: it is counted and logged.
	 */
	SKIP,

	/**
	 * Write the record's raw bytes, with headers naming the cause and its origin, to the
	 * dead-letter topic, in the same transaction as the output under exactly-once.
	 */
	DEAD_LETTER

}
