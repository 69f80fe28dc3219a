package dev.kafkastream.sink;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Default serialisers of a sink.
 */
final class Serializers {

	private Serializers() {
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	static Serializer<Object> bytes() {
		return (Serializer) new ByteArraySerializer();
	}

}
