package dev.kafkastream.runtime;

import org.jspecify.annotations.Nullable;

/**
 * A record, or the dead letter of one, could not be written: the producer's callback
 * failed the send.
 */
final class FailedSendException extends SinkWriteException {

	private final @Nullable String topic;

	private final @Nullable String deadLetterOf;

	FailedSendException(Exception cause, @Nullable String topic, @Nullable String deadLetterOf) {
		super(message(cause, topic, deadLetterOf), cause);
		this.topic = topic;
		this.deadLetterOf = deadLetterOf;
	}

	private static String message(Exception cause, @Nullable String topic, @Nullable String deadLetterOf) {
		String record = (deadLetterOf != null) ? "The dead letter of the record at " + deadLetterOf : "A record";
		String to = (topic != null) ? " to topic '" + topic + "'" : "";
		return record + " could not be written" + to + ": " + Causes.describe(cause);
	}

	/**
	 * The topic the failed send was for.
	 * @return the topic, {@code null} when the producer did not tell
	 */
	@Nullable String topic() {
		return this.topic;
	}

	/**
	 * The record whose dead letter could not be written.
	 * @return {@code topic-partition@offset}, or {@code null} when the send was a sink's
	 */
	@Nullable String deadLetterOf() {
		return this.deadLetterOf;
	}

}
