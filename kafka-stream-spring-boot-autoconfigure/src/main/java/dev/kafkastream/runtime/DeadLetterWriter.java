package dev.kafkastream.runtime;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a record that could not be deserialised, as it was read, to a dead-letter topic,
 * with headers naming the cause and where it came from.
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

	void write(Producer<byte[], byte[]> producer, String topic, ConsumerRecord<byte[], byte[]> record,
			Throwable cause) {
		Headers headers = new RecordHeaders(record.headers().toArray());
		add(headers, "exception-class", cause.getClass().getName());
		add(headers, "exception-message", String.valueOf(cause.getMessage()));
		add(headers, "original-topic", record.topic());
		add(headers, "original-partition", String.valueOf(record.partition()));
		add(headers, "original-offset", String.valueOf(record.offset()));
		add(headers, "original-timestamp", String.valueOf(record.timestamp()));
		producer.send(new ProducerRecord<>(topic, null, record.timestamp(), record.key(), record.value(), headers),
				this.sendFailure.sending());
	}

	private static void add(Headers headers, String name, String value) {
		headers.add(HEADER_PREFIX + name, value.getBytes(StandardCharsets.UTF_8));
	}

}
