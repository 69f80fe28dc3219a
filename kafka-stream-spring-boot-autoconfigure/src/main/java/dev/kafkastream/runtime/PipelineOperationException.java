package dev.kafkastream.runtime;

/**
 * Thrown when an operation asked of a pipeline (pause, resume, reset, drain, a checkpoint
 * now) is refused because of the state it is in; the message says which state and what
 * would allow it.
 */
public class PipelineOperationException extends IllegalStateException {

	public PipelineOperationException(String message) {
		super(message);
	}

}
