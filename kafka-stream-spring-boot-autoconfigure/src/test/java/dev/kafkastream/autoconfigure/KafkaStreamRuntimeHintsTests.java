package dev.kafkastream.autoconfigure;

import java.util.List;

import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.aot.AotServices;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints for the classes the starter configures its Kafka clients with, registered
 * through {@code META-INF/spring/aot.factories}.
 */
class KafkaStreamRuntimeHintsTests {

	private final RuntimeHints hints = registered();

	@Test
	void byteArraySerdesOfEveryClientAreInstantiable() {
		assertInstantiable(ByteArraySerializer.class);
		assertInstantiable(ByteArrayDeserializer.class);
	}

	@Test
	void assignorOfGroupSourcesIsInstantiable() {
		assertInstantiable(CooperativeStickyAssignor.class);
	}

	@Test
	void sslBundleEngineFactoryIsInstantiable() {
		assertThat(KafkaStreamRuntimeHints.SSL_BUNDLE_ENGINE_FACTORY).isEqualTo(SslBundleSslEngineFactory.class.getName());
		assertInstantiable(SslBundleSslEngineFactory.class);
	}

	private void assertInstantiable(Class<?> type) {
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(type)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS)).accepts(this.hints);
	}

	private static RuntimeHints registered() {
		RuntimeHints hints = new RuntimeHints();
		List<RuntimeHintsRegistrar> registrars = AotServices.factories().load(RuntimeHintsRegistrar.class).asList();
		assertThat(registrars).hasAtLeastOneElementOfType(KafkaStreamRuntimeHints.class);
		registrars.forEach((registrar) -> registrar.registerHints(hints, KafkaStreamRuntimeHintsTests.class.getClassLoader()));
		return hints;
	}

}
