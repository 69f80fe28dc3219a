package dev.kafkastream.autoconfigure;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ResolvableType;

/**
 * {@link JsonSerdes} of spring-kafka's Jackson serdes with the application's
 * {@link JsonMapper} and no type headers.
 */
final class JacksonJsonSerdes implements JsonSerdes {

	private final JsonMapper jsonMapper;

	JacksonJsonSerdes(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public Deserializer<?> deserializer(ResolvableType type) {
		return new JacksonJsonDeserializer<>(this.jsonMapper
			.constructType((type != ResolvableType.NONE) ? type.getType() : Object.class), this.jsonMapper, false);
	}

	@Override
	public Serializer<Object> serializer() {
		return new JacksonJsonSerializer<>(this.jsonMapper).noTypeInfo();
	}

}
