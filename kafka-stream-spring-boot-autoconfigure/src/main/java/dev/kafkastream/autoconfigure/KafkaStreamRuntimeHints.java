package dev.kafkastream.autoconfigure;

import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Hints for the classes the starter configures its Kafka clients with by class, which the
 * Kafka clients instantiate reflectively: the byte-array (de)serializers of every source
 * and sink client, the cooperative sticky assignor of group sources, and Spring Boot's SSL
 * bundle engine factory when an SSL bundle secures the clients.
 */
class KafkaStreamRuntimeHints implements RuntimeHintsRegistrar {

	static final String SSL_BUNDLE_ENGINE_FACTORY = "org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		for (Class<?> type : new Class<?>[] { ByteArraySerializer.class, ByteArrayDeserializer.class,
				CooperativeStickyAssignor.class }) {
			hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		}
		hints.reflection()
			.registerTypeIfPresent(classLoader, SSL_BUNDLE_ENGINE_FACTORY, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
	}

}
