package dev.kafkastream.autoconfigure;

import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;

/**
 * Finds a {@link Deserializer} named in a property: a bean of that name, used as it is,
 * or else a class of that name, instantiated and configured like Kafka would.
 */
class DeserializerResolver {

	private static final BeanOrClassResolver.Wording WORDING = new BeanOrClassResolver.Wording("Kafka Deserializer",
			"Name a Deserializer bean or class.", "Name a Deserializer bean or class, or use a format instead.");

	private final BeanOrClassResolver components;

	DeserializerResolver(BeanOrClassResolver components) {
		this.components = components;
	}

	Deserializer<?> resolve(String name, String property, Map<String, Object> consumerConfig, boolean isKey) {
		boolean bean = this.components.isBean(name);
		Deserializer<?> deserializer = this.components.resolve(name, Deserializer.class, property, WORDING);
		if (!bean) {
			deserializer.configure(consumerConfig, isKey);
		}
		return deserializer;
	}

}
