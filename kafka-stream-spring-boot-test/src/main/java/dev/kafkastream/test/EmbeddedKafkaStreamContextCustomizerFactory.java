package dev.kafkastream.test;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * The Spring TestContext side of {@link EmbeddedKafkaStream}: a test class carrying the annotation gets an
 * {@link EmbeddedKafkaStreamContextCustomizer}. Registered in {@code META-INF/spring.factories}.
 */
class EmbeddedKafkaStreamContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		EmbeddedKafkaStream annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				EmbeddedKafkaStream.class);
		return (annotation != null) ? new EmbeddedKafkaStreamContextCustomizer(annotation) : null;
	}

}
