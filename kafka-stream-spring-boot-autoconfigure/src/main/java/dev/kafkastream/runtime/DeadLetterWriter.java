package dev.kafkastream.runtime;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Writes a record that could not be deserialised, as it was read, to a dead-letter topic,
 * with headers naming the cause and where it came from. A send that fails at once (the
 * producer found no such topic) fails the record; one that fails later is rethrown at the
 * next write or checkpoint, as a sink's.
 */
final class DeadLetterWriter {

	/**
	 * Prefix of the headers a dead letter carries.
	 */
	static final String HEADER_PREFIX = "kafka-stream.dlt.";

	private final SendFailure sendFailure;

	DeadLetterWriter(SendFailure sendFailure) {
		this.sendFailure = sendFailure;
	}

	/**
	 * Writes a dead letter.
	 * @param producer the producer
	 * @param topic the dead-letter topic
	 * @param record the record as read
	 * @param cause why it could not be handled
	 * @param call the observed handler call that failed last, whose headers the dead
	 * letter carries, or {@code null}
	 * @param written what to do once the dead letter is written, on the producer's thread
	 * @throws SinkWriteException when the send failed at once
	 */
	void write(Producer<byte[], byte[]> producer, String topic, ConsumerRecord<byte[], byte[]> record,
			Throwable cause, HandlerObserver.@Nullable Call call, Runnable written) {
		Headers headers = new RecordHeaders(record.headers().toArray());
		add(headers, "exception-class", cause.getClass().getName());
		add(headers, "exception-message", String.valueOf(cause.getMessage()));
		Throwable root = Causes.root(cause);
		if (root != cause) {
			// the wrapper's message often hides the reason, such as the parser's error
			add(headers, "exception-cause-class", root.getClass().getName());
			add(headers, "exception-cause-message", String.valueOf(root.getMessage()));
		}
		add(headers, "original-topic", record.topic());
		add(headers, "original-partition", String.valueOf(record.partition()));
		add(headers, "original-offset", String.valueOf(record.offset()));
		add(headers, "original-timestamp", String.valueOf(record.timestamp()));
		if (call != null) {
			call.addHeaders(headers);
		}
		producer.send(new ProducerRecord<>(topic, null, record.timestamp(), record.key(), record.value(), headers),
				this.sendFailure.sendingDeadLetter(record, written));
		// a topic missing from the metadata fails the send before it returns
		this.sendFailure.throwIfFailed();
	}

	private static void add(Headers headers, String name, String value) {
		headers.add(HEADER_PREFIX + name, value.getBytes(StandardCharsets.UTF_8));
	}

}
