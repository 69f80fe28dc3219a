package dev.kafkastream.test;

import java.util.List;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 side of {@link EmbeddedKafkaStream}: creates the annotation's topics on the shared broker before all
 * tests of the class and resolves parameters of type {@link KafkaTestBroker} or {@link EmbeddedKafkaBrokerSupport}.
 * Registered by the annotation; usable on its own with {@code @ExtendWith}.
 */
public class EmbeddedKafkaStreamExtension implements BeforeAllCallback, ParameterResolver {

	@Override
	public void beforeAll(ExtensionContext context) {
		AnnotationSupport.findAnnotation(context.getRequiredTestClass(), EmbeddedKafkaStream.class)
			.ifPresent((annotation) -> EmbeddedKafkaBrokerSupport.shared()
				.createTopics(List.of(annotation.topics()), annotation.partitions()));
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == KafkaTestBroker.class || type == EmbeddedKafkaBrokerSupport.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return EmbeddedKafkaBrokerSupport.shared();
	}

}
