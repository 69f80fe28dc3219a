package dev.kafkastream.autoconfigure;

import org.apache.kafka.common.errors.SerializationException;
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
import org.jspecify.annotations.Nullable;

import org.springframework.core.ResolvableType;

/**
 * Kafka's serialisers and deserialisers for each {@link Format}; JSON uses the
 * {@link JsonSerdes}, and fails naming the format property when the class path lacks what
 * JSON needs.
 */
final class Serdes {

	private final @Nullable JsonSerdes json;

	private final String missingJsonLibraries;

	/**
	 * Creates the serdes.
	 * @param json the JSON serdes, {@code null} when the class path lacks them
	 * @param missingJsonLibraries what the class path lacks for JSON, when {@code json}
	 * is {@code null}
	 */
	Serdes(@Nullable JsonSerdes json, String missingJsonLibraries) {
		this.json = json;
		this.missingJsonLibraries = missingJsonLibraries;
	}

	Deserializer<?> deserializer(Format format, ResolvableType type, String formatProperty) {
		return switch (format) {
			case STRING -> new StringDeserializer();
			case BYTES -> new ByteArrayDeserializer();
			case LONG -> new LongDeserializer();
			case INT -> new IntegerDeserializer();
			case DOUBLE -> new DoubleDeserializer();
			case UUID -> new UUIDDeserializer();
			case JSON -> json(formatProperty).deserializer(type);
		};
	}

	Serializer<?> serializer(Format format, String formatProperty) {
		return switch (format) {
			case STRING -> new StringSerializer();
			case BYTES -> new ByteArraySerializer();
			case LONG -> new LongSerializer();
			case INT -> new IntegerSerializer();
			case DOUBLE -> new DoubleSerializer();
			case UUID -> new UUIDSerializer();
			case JSON -> json(formatProperty).serializer();
		};
	}

	/**
	 * A serialiser that writes each object in the format of its class, for values of a
	 * type only known at run time; without JSON support, an object of no built-in format
	 * fails to serialise, naming what is missing.
	 * @return the serialiser
	 */
	Serializer<Object> serializerByClass() {
		Serializer<Object> objects = (this.json != null) ? this.json.serializer() : (topic, data) -> {
			throw new SerializationException("Cannot write " + data.getClass().getName() + " to topic '" + topic
					+ "' as JSON: " + this.missingJsonLibraries + " missing from the class path");
		};
		return new ClassDispatchingSerializer(objects);
	}

	private JsonSerdes json(String formatProperty) {
		if (this.json == null) {
			throw new KafkaStreamConfigurationException(formatProperty,
					"Format 'json' needs " + this.missingJsonLibraries + " on the class path",
					"Add spring-boot-starter-jackson and spring-kafka (kafka-stream-spring-boot-starter brings both),"
							+ " or set '" + formatProperty + "' to a format the handler's type allows.");
		}
		return this.json;
	}

}
