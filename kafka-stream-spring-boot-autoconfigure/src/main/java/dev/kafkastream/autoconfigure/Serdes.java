package dev.kafkastream.autoconfigure;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.DoubleDeserializer;
import org.apache.kafka.common.serialization.DoubleSerializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.UUIDDeserializer;
import org.apache.kafka.common.serialization.UUIDSerializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ResolvableType;

/**
 * Kafka's serialisers and deserialisers for each {@link Format}; JSON uses spring-kafka's
 * Jackson serdes with the application's {@link JsonMapper} and no type headers.
 */
final class Serdes {

	private final JsonMapper jsonMapper;

	Serdes(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	Deserializer<?> deserializer(Format format, ResolvableType type) {
		return switch (format) {
			case STRING -> new StringDeserializer();
			case BYTES -> new ByteArrayDeserializer();
			case LONG -> new LongDeserializer();
			case INT -> new IntegerDeserializer();
			case DOUBLE -> new DoubleDeserializer();
			case UUID -> new UUIDDeserializer();
			case JSON -> new JacksonJsonDeserializer<>(this.jsonMapper.constructType(
					(type != ResolvableType.NONE) ? type.getType() : Object.class), this.jsonMapper, false);
		};
	}

	Serializer<?> serializer(Format format) {
		return switch (format) {
			case STRING -> new StringSerializer();
			case BYTES -> new ByteArraySerializer();
			case LONG -> new LongSerializer();
			case INT -> new IntegerSerializer();
			case DOUBLE -> new DoubleSerializer();
			case UUID -> new UUIDSerializer();
			case JSON -> new JacksonJsonSerializer<>(this.jsonMapper).noTypeInfo();
		};
	}

	/**
	 * A serialiser that writes each object in the format of its class, for values of a
	 * type only known at run time.
	 * @return the serialiser
	 */
	@SuppressWarnings("unchecked")
	Serializer<Object> serializerByClass() {
		return new ClassDispatchingSerializer((Serializer<Object>) serializer(Format.JSON));
	}

}
