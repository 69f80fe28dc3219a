package dev.kafkastream.handler;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds the {@link KafkaStreamHandler} methods of every bean.
 */
public class KafkaStreamHandlerBeanPostProcessor implements BeanPostProcessor {

	private final List<HandlerMethod> handlers = new ArrayList<>();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		Map<Method, KafkaStreamHandler> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<KafkaStreamHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, KafkaStreamHandler.class));
		annotated.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			synchronized (this.handlers) {
				this.handlers.add(new HandlerMethod(bean, beanName, method, invocable, annotation));
			}
		});
		return bean;
	}

	/**
	 * The handler methods found so far.
	 * @return the handler methods
	 */
	public List<HandlerMethod> handlers() {
		synchronized (this.handlers) {
			return List.copyOf(this.handlers);
		}
	}

}
