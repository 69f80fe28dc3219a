package dev.kafkastream.handler;

/**
 * A {@link KafkaStreamHandler} method has a signature the starter cannot call. The
 * message names the method and the problem.
 */
public class InvalidHandlerMethodException extends IllegalStateException {

	public InvalidHandlerMethodException(String message) {
		super(message);
	}

}
