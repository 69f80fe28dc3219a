package dev.kafkastream.runtime;

import dev.kafkastream.core.KafkaStreamException;

/**
 * A record could not be written to a sink.
 */
public class SinkWriteException extends KafkaStreamException {

	public SinkWriteException(String message, Throwable cause) {
		super(message, cause);
	}

}
