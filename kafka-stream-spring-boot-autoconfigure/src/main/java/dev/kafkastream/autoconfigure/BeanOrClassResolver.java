package dev.kafkastream.autoconfigure;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Finds an object of a given type named in a property: a bean of that name, or else a
 * new instance of the class of that name.
 */
final class BeanOrClassResolver {

	private final ListableBeanFactory beanFactory;

	BeanOrClassResolver(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * Whether the name is that of a bean rather than a class.
	 * @param name the name
	 * @return whether a bean has the name
	 */
	boolean isBean(String name) {
		return this.beanFactory.containsBean(name);
	}

	/**
	 * The bean of the given name, or a new instance of the class of that name.
	 * @param name the name of a bean or a class
	 * @param type the type it must have
	 * @param property the property that names it, reported in errors
	 * @param <T> the type
	 * @return the bean or the instance
	 */
	<T> T resolve(String name, Class<T> type, String property) {
		return resolve(name, type, property, Wording.of(type));
	}

	/**
	 * The bean of the given name, or a new instance of the class of that name, with
	 * errors worded for the kind of object.
	 * @param name the name of a bean or a class
	 * @param type the type it must have
	 * @param property the property that names it, reported in errors
	 * @param wording how errors name the kind of object and what to do
	 * @param <T> the type
	 * @return the bean or the instance
	 */
	<T> T resolve(String name, Class<T> type, String property, Wording wording) {
		if (this.beanFactory.containsBean(name)) {
			Object bean = this.beanFactory.getBean(name);
			if (type.isInstance(bean)) {
				return type.cast(bean);
			}
			throw new KafkaStreamConfigurationException(property,
					"Bean '" + name + "' is a " + bean.getClass().getName() + ", not a " + wording.kind(),
					wording.nameOne());
		}
		Class<?> candidate;
		try {
			candidate = ClassUtils.forName(name, (this.beanFactory instanceof ConfigurableBeanFactory configurable)
					? configurable.getBeanClassLoader() : ClassUtils.getDefaultClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new KafkaStreamConfigurationException(property,
					"There is neither a bean nor a class named '" + name + "'", wording.nameOneInstead());
		}
		if (!type.isAssignableFrom(candidate)) {
			throw new KafkaStreamConfigurationException(property, "Class '" + name + "' is not a " + wording.kind(),
					"Name a class that implements " + type.getName() + ".");
		}
		return type.cast(BeanUtils.instantiateClass(candidate));
	}

	/**
	 * How errors word the kind of object a property names.
	 *
	 * @param kind what the object must be, e.g. "Kafka Deserializer"
	 * @param nameOne what to do when a bean is of the wrong type
	 * @param nameOneInstead what to do when the name is neither a bean nor a class
	 */
	record Wording(String kind, String nameOne, String nameOneInstead) {

		static Wording of(Class<?> type) {
			String action = "Name a bean or class implementing " + type.getName() + ".";
			return new Wording(type.getName(), action, action);
		}

	}
}
