package dev.kafkastream.core;

import org.jspecify.annotations.Nullable;

/**
 * Base exception of kafka-stream.
 */
public class KafkaStreamException extends RuntimeException {

	public KafkaStreamException(String message) {
		super(message);
	}

	public KafkaStreamException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
