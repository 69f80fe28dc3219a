package dev.kafkastream.runtime;

import dev.kafkastream.core.KafkaStreamException;
import org.apache.kafka.common.TopicPartition;

/**
 * A record could not be deserialised or handled. The message names the record's topic,
 * partition and offset.
 */
public class RecordProcessingException extends KafkaStreamException {

	private final TopicPartition partition;

	private final long offset;

	public RecordProcessingException(String problem, TopicPartition partition, long offset, Throwable cause) {
		super(problem + " at " + partition + "@" + offset + ": " + cause, cause);
		this.partition = partition;
		this.offset = offset;
	}

	/**
	 * The partition of the record.
	 * @return the partition
	 */
	public TopicPartition partition() {
		return this.partition;
	}

	/**
	 * The offset of the record.
	 * @return the offset
	 */
	public long offset() {
		return this.offset;
	}

}
