package dev.kafkastream.runtime;

import dev.kafkastream.sink.KafkaSinkSpec;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Serialises records for one sink and hands them to the worker's producer.
 */
final class SinkWriter {

	private final KafkaSinkSpec sink;

	private final Serializer<Object> valueSerializer;

	private final SendFailure sendFailure;

	SinkWriter(KafkaSinkSpec sink, SendFailure sendFailure) {
		this.sink = sink;
		this.valueSerializer = sink.valueSerializer();
		this.sendFailure = sendFailure;
	}

	KafkaSinkSpec sink() {
		return this.sink;
	}

	/**
	 * Sends a value keyed by the input record's serialised key.
	 * @param producer the producer
	 * @param key the serialised key
	 * @param value the value
	 * @param timestamp the record timestamp
	 */
	void write(Producer<byte[], byte[]> producer, byte @Nullable [] key, @Nullable Object value, long timestamp) {
		String topic = this.sink.topic();
		Headers headers = new RecordHeaders();
		byte[] serialized = (value != null) ? this.valueSerializer.serialize(topic, headers, value) : null;
		producer.send(new ProducerRecord<>(topic, null, timestamp, key, serialized, headers),
				this.sendFailure.sending());
	}

}
