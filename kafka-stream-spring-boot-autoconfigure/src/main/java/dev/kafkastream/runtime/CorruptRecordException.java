package dev.kafkastream.runtime;

import dev.kafkastream.core.NonRetryableException;
import org.apache.kafka.common.TopicPartition;

/**
 * A record could not be deserialised and the source's policy is to fail: reading it again
 * would fail again, so the pipeline stops with the record's position.
 */
public class CorruptRecordException extends NonRetryableException {

	private final TopicPartition partition;

	private final long offset;

	public CorruptRecordException(String part, TopicPartition partition, long offset, Throwable cause) {
		super("Could not deserialize the " + part + " of the record at " + partition + "@" + offset + ": "
				+ Causes.describe(cause), cause);
		this.partition = partition;
		this.offset = offset;
	}

	public TopicPartition partition() {
		return this.partition;
	}

	public long offset() {
		return this.offset;
	}

}
