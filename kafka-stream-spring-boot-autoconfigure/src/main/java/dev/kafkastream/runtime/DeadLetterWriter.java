package dev.kafkastream.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Writes a record that could not be deserialised or handled, as it was read, to a
 * dead-letter topic, with {@link DeadLetterHeaders spring-kafka's headers} naming the
 * cause and where it came from. A send that fails at once (the producer found no such
 * topic) fails the record; one that fails later is rethrown at the next write or
 * checkpoint, as a sink's.
 */
final class DeadLetterWriter {

	private final SendFailure sendFailure;

	private final String groupId;

	DeadLetterWriter(SendFailure sendFailure, String groupId) {
		this.sendFailure = sendFailure;
		this.groupId = groupId;
	}

	/**
	 * Writes a dead letter.
	 * @param producer the producer
	 * @param topic the dead-letter topic
	 * @param record the record as read
	 * @param cause why it could not be handled
	 * @param keyFailed whether the cause is that the key could not be deserialised
	 * @param call the observed handler call that failed last, whose headers the dead
	 * letter carries, or {@code null}
	 * @param written what to do once the dead letter is written, on the producer's thread
	 * @throws SinkWriteException when the send failed at once
	 */
	void write(Producer<byte[], byte[]> producer, String topic, ConsumerRecord<byte[], byte[]> record,
			Throwable cause, boolean keyFailed, HandlerObserver.@Nullable Call call, Runnable written) {
		Headers headers = new RecordHeaders(record.headers().toArray());
		addExceptionHeaders(headers, cause, keyFailed);
		addOriginHeaders(headers, record);
		if (call != null) {
			call.addHeaders(headers);
		}
		producer.send(new ProducerRecord<>(topic, null, record.timestamp(), record.key(), record.value(), headers),
				this.sendFailure.sendingDeadLetter(record, written));
		// a topic missing from the metadata fails the send before it returns
		this.sendFailure.throwIfFailed();
	}

	/**
	 * Replaces the exception headers of an earlier failure the record may carry, as
	 * spring-kafka does.
	 */
	private static void addExceptionHeaders(Headers headers, Throwable cause, boolean keyFailed) {
		Throwable root = Causes.root(cause);
		String rootMessage = (root != cause) ? root.getMessage() : null;
		String message = cause.getMessage();
		if (rootMessage != null) {
			message = (message != null) ? message + "; " + rootMessage : rootMessage;
		}
		replace(headers, keyFailed ? DeadLetterHeaders.KEY_EXCEPTION_FQCN : DeadLetterHeaders.EXCEPTION_FQCN,
				text(cause.getClass().getName()));
		replace(headers, DeadLetterHeaders.EXCEPTION_CAUSE_FQCN, text(root.getClass().getName()));
		headers.remove(DeadLetterHeaders.EXCEPTION_CAUSE_MESSAGE);
		if (rootMessage != null) {
			// the wrapper's message often hides the reason, such as the parser's error
			headers.add(DeadLetterHeaders.EXCEPTION_CAUSE_MESSAGE, text(rootMessage));
		}
		String messageHeader = keyFailed ? DeadLetterHeaders.KEY_EXCEPTION_MESSAGE
				: DeadLetterHeaders.EXCEPTION_MESSAGE;
		headers.remove(messageHeader);
		if (message != null) {
			headers.add(messageHeader, text(message));
		}
		replace(headers,
				keyFailed ? DeadLetterHeaders.KEY_EXCEPTION_STACKTRACE : DeadLetterHeaders.EXCEPTION_STACKTRACE,
				text(stackTrace(cause)));
	}

	/**
	 * Adds where the record came from after the origins of earlier dead-letterings it may
	 * carry, as spring-kafka does: the last header is the latest origin.
	 */
	private void addOriginHeaders(Headers headers, ConsumerRecord<byte[], byte[]> record) {
		headers.add(DeadLetterHeaders.ORIGINAL_TOPIC, text(record.topic()));
		headers.add(DeadLetterHeaders.ORIGINAL_PARTITION,
				ByteBuffer.allocate(Integer.BYTES).putInt(record.partition()).array());
		headers.add(DeadLetterHeaders.ORIGINAL_OFFSET,
				ByteBuffer.allocate(Long.BYTES).putLong(record.offset()).array());
		headers.add(DeadLetterHeaders.ORIGINAL_TIMESTAMP,
				ByteBuffer.allocate(Long.BYTES).putLong(record.timestamp()).array());
		headers.add(DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE, text(record.timestampType().toString()));
		headers.add(DeadLetterHeaders.ORIGINAL_CONSUMER_GROUP, text(this.groupId));
	}

	private static void replace(Headers headers, String name, byte[] value) {
		headers.remove(name);
		headers.add(name, value);
	}

	private static byte[] text(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static String stackTrace(Throwable cause) {
		StringWriter trace = new StringWriter();
		cause.printStackTrace(new PrintWriter(trace, true));
		return trace.toString();
	}

}
