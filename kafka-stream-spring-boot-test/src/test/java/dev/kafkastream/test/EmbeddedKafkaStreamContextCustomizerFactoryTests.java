package dev.kafkastream.test;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.ContextCustomizer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EmbeddedKafkaStreamContextCustomizerFactory}: test classes with the same annotation share a cached
 * application context, classes without it are left alone.
 */
class EmbeddedKafkaStreamContextCustomizerFactoryTests {

	private final EmbeddedKafkaStreamContextCustomizerFactory factory = new EmbeddedKafkaStreamContextCustomizerFactory();

	@Test
	void noAnnotationNoCustomizer() {
		assertThat(customizer(Plain.class)).isNull();
	}

	@Test
	void sameAnnotationEqualCustomizers() {
		assertThat(customizer(First.class)).isEqualTo(customizer(Second.class))
			.hasSameHashCodeAs(customizer(Second.class));
		assertThat(customizer(Inheriting.class)).isEqualTo(customizer(First.class));
	}

	@Test
	void otherTopicsOrPartitionsOtherCustomizers() {
		assertThat(customizer(First.class)).isNotEqualTo(customizer(OtherTopics.class))
			.isNotEqualTo(customizer(OtherPartitions.class));
	}

	private ContextCustomizer customizer(Class<?> testClass) {
		return this.factory.createContextCustomizer(testClass, List.of());
	}

	static class Plain {

	}

	@EmbeddedKafkaStream(topics = "a", partitions = 2)
	static class First {

	}

	@EmbeddedKafkaStream(topics = "a", partitions = 2)
	static class Second {

	}

	static class Inheriting extends First {

	}

	@EmbeddedKafkaStream(topics = "b", partitions = 2)
	static class OtherTopics {

	}

	@EmbeddedKafkaStream(topics = "a", partitions = 3)
	static class OtherPartitions {

	}

}
