package dev.kafkastream.runtime;

import dev.kafkastream.core.KafkaStreamException;

/**
 * A record could not be deserialised or handled. The message names the record's topic,
 * partition and offset.
 */
public class RecordProcessingException extends KafkaStreamException {

	public RecordProcessingException(String message, Throwable cause) {
		super(message, cause);
	}

}
