package dev.kafkastream.autoconfigure;

import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Finds a {@link Deserializer} named in a property: a bean of that name, or else a class
 * of that name, instantiated and configured like Kafka would.
 */
class DeserializerResolver {

	private final ListableBeanFactory beanFactory;

	DeserializerResolver(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	Deserializer<?> resolve(String name, String property, Map<String, Object> consumerConfig, boolean isKey) {
		if (this.beanFactory.containsBean(name)) {
			Object bean = this.beanFactory.getBean(name);
			if (bean instanceof Deserializer<?> deserializer) {
				return deserializer;
			}
			throw new KafkaStreamConfigurationException(property,
					"Bean '" + name + "' is a " + bean.getClass().getName() + ", not a Kafka Deserializer",
					"Name a Deserializer bean or class.");
		}
		Class<?> type;
		try {
			type = ClassUtils.forName(name, (this.beanFactory instanceof ConfigurableBeanFactory configurable)
					? configurable.getBeanClassLoader() : ClassUtils.getDefaultClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new KafkaStreamConfigurationException(property,
					"There is neither a bean nor a class named '" + name + "'",
					"Name a Deserializer bean or class, or use a format instead.");
		}
		if (!Deserializer.class.isAssignableFrom(type)) {
			throw new KafkaStreamConfigurationException(property, "Class '" + name + "' is not a Kafka Deserializer",
					"Name a class that implements org.apache.kafka.common.serialization.Deserializer.");
		}
		Deserializer<?> deserializer = (Deserializer<?>) BeanUtils.instantiateClass(type);
		deserializer.configure(consumerConfig, isKey);
		return deserializer;
	}

}
