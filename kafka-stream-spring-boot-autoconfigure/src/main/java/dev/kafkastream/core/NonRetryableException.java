package dev.kafkastream.core;

import org.jspecify.annotations.Nullable;

/**
 * A failure that retrying cannot fix, such as a corrupt record under the {@code fail}
 * policy or a partition with nowhere to start: the pipeline fails at once instead of
 * rolling back and trying again.
 */
public class NonRetryableException extends KafkaStreamException {

	public NonRetryableException(String message) {
		super(message);
	}

	public NonRetryableException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
