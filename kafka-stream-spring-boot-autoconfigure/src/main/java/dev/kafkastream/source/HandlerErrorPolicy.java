package dev.kafkastream.source;

/**
 * What a source does with a record its handler still fails on after the retries in place
 * ({@link HandlerRetry}). A {@link Error} thrown by the handler is never retried: it fails
 * the pipeline whatever the policy.
 */
public enum HandlerErrorPolicy {

	/**
	 * Throw away what was processed since the last checkpoint, roll back to it and try
	 * again, as for any other failure; the pipeline fails once the recovery attempts are
	 * used up.
	 */
	FAIL,

	/**
	 * Skip the record: it is counted and logged with its topic, partition and offset.
	 */
	SKIP,

	/**
	 * Write the record's raw bytes, with headers naming the exception and the record's
	 * origin, to the dead-letter topic, in the same transaction as the output under
	 * exactly-once.
	 */
	DEAD_LETTER

}
