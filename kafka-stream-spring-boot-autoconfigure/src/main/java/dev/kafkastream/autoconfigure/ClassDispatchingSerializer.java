package dev.kafkastream.autoconfigure;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.DoubleSerializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.UUIDSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Serialises each object in the built-in {@link Format} of its class: the serialiser of
 * keys whose type the handler does not declare. Bytes pass through; a string, number or
 * UUID is written as its format says; anything else as JSON.
 */
final class ClassDispatchingSerializer implements Serializer<Object> {

	private final StringSerializer strings = new StringSerializer();

	private final LongSerializer longs = new LongSerializer();

	private final IntegerSerializer ints = new IntegerSerializer();

	private final DoubleSerializer doubles = new DoubleSerializer();

	private final UUIDSerializer uuids = new UUIDSerializer();

	private final Serializer<Object> json;

	ClassDispatchingSerializer(Serializer<Object> json) {
		this.json = json;
	}

	@Override
	public byte @Nullable [] serialize(String topic, @Nullable Object data) {
		return serialize(topic, null, data);
	}

	@Override
	public byte @Nullable [] serialize(String topic, @Nullable Headers headers, @Nullable Object data) {
		if (data == null) {
			return null;
		}
		if (data instanceof byte[] bytes) {
			return bytes;
		}
		if (data instanceof String string) {
			return this.strings.serialize(topic, string);
		}
		if (data instanceof Long number) {
			return this.longs.serialize(topic, number);
		}
		if (data instanceof Integer number) {
			return this.ints.serialize(topic, number);
		}
		if (data instanceof Double number) {
			return this.doubles.serialize(topic, number);
		}
		if (data instanceof java.util.UUID uuid) {
			return this.uuids.serialize(topic, uuid);
		}
		return this.json.serialize(topic, headers, data);
	}

	@Override
	public String toString() {
		return "key class";
	}

}
