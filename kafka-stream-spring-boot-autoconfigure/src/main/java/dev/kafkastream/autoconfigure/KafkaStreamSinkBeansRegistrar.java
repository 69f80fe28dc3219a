package dev.kafkastream.autoconfigure;

import java.util.Map;

import dev.kafkastream.sink.KafkaStreamSink;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Registers a {@link KafkaStreamSink} bean for each sink under {@code kafka-stream.sinks}:
 * named {@code <name>Sink}, qualified by the sink's name, and made by
 * {@link KafkaStreamSinks#sink(String)}. A bean already registered under that name wins.
 */
class KafkaStreamSinkBeansRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

	private static final String SINKS = "kafka-stream.sinks";

	private Environment environment;

	KafkaStreamSinkBeansRegistrar(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		Map<String, Object> sinks = Binder.get(this.environment)
			.bind(SINKS, Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		for (String name : sinks.keySet()) {
			String beanName = beanName(name);
			if (registry.containsBeanDefinition(beanName)) {
				continue;
			}
			RootBeanDefinition definition = new RootBeanDefinition();
			definition.setTargetType(KafkaStreamSink.class);
			definition.setFactoryBeanName(KafkaStreamSinks.BEAN_NAME);
			definition.setUniqueFactoryMethodName("sink");
			definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			registry.registerBeanDefinition(beanName, definition);
		}
	}

	static String beanName(String sink) {
		return sink + "Sink";
	}

}
