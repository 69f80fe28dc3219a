package dev.kafkastream.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Registers the reflection hints for the classes named in {@code kafka-stream.*}
 * properties when the application is processed ahead of time: the key and value
 * deserializers of sources, the key and value serializers, partitioners and topic
 * selectors of sinks (which the starter instantiates when they name a class rather than a
 * bean), and every class named in the Kafka client properties
 * ({@code kafka-stream.properties}, {@code kafka-stream.sources.*.properties},
 * {@code kafka-stream.sinks.*.properties}), which the Kafka clients instantiate. The
 * properties are those of the environment the application is processed with, such as its
 * {@code application.yml}.
 */
class KafkaStreamPropertiesAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
			ConfigurableListableBeanFactory beanFactory) {
		if (!beanFactory.containsBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME)) {
			return null;
		}
		Environment environment = beanFactory.getBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME,
				Environment.class);
		ClassLoader classLoader = beanFactory.getBeanClassLoader();
		Set<Class<?>> classes = new LinkedHashSet<>();
		for (String name : namedClasses(environment)) {
			if (ClassUtils.isPresent(name, classLoader)) {
				classes.add(ClassUtils.resolveClassName(name, classLoader));
			}
		}
		if (classes.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> {
			ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
			classes.forEach((type) -> reflection.registerType(type, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS));
		};
	}

	/**
	 * The names in {@code kafka-stream.*} properties that may be those of classes.
	 * @param environment the environment
	 * @return the names, which may also be bean names or plain values
	 */
	private static List<String> namedClasses(Environment environment) {
		try {
			return Binder.get(environment)
				.bind("kafka-stream", KafkaStreamProperties.class)
				.map(KafkaStreamPropertiesAotProcessor::namedClasses)
				.orElse(List.of());
		}
		catch (BindException ex) {
			// Reported with its property when the application starts.
			return List.of();
		}
	}

	private static List<String> namedClasses(KafkaStreamProperties properties) {
		List<String> names = new ArrayList<>();
		addValues(names, properties.getProperties());
		properties.getSources().values().forEach((source) -> {
			add(names, source.getKeyDeserializer());
			add(names, source.getValueDeserializer());
			addValues(names, source.getProperties());
		});
		properties.getSinks().values().forEach((sink) -> {
			add(names, sink.getKeySerializer());
			add(names, sink.getValueSerializer());
			add(names, sink.getTopicSelector());
			add(names, sink.getPartitioner());
			addValues(names, sink.getProperties());
		});
		return names;
	}

	private static void addValues(List<String> names, Map<String, String> clientProperties) {
		clientProperties.values()
			.forEach((value) -> List.of(StringUtils.commaDelimitedListToStringArray(value))
				.forEach((name) -> add(names, name)));
	}

	private static void add(List<String> names, @Nullable String name) {
		if (StringUtils.hasText(name)) {
			names.add(name.trim());
		}
	}

}
