package dev.kafkastream.autoconfigure;

import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.handler.KafkaStreamHandlerBeanPostProcessor;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Keeps the beans with {@link KafkaStreamHandler} methods eager under
 * {@code spring.main.lazy-initialization=true}: nothing asks for a handler bean, so a lazy
 * one would never be created and {@link KafkaStreamHandlerBeanPostProcessor} would never
 * see its methods.
 */
final class KafkaStreamHandlerLazyInitializationExcludeFilter implements LazyInitializationExcludeFilter {

	@Override
	public boolean isExcluded(String beanName, BeanDefinition beanDefinition, Class<?> beanType) {
		return beanType != null && AnnotationUtils.isCandidateClass(beanType, KafkaStreamHandler.class)
				&& !MethodIntrospector
					.selectMethods(beanType,
							(MethodIntrospector.MetadataLookup<KafkaStreamHandler>) (method) -> AnnotatedElementUtils
								.findMergedAnnotation(method, KafkaStreamHandler.class))
					.isEmpty();
	}

}
