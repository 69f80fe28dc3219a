package dev.kafkastream.autoconfigure;

import dev.kafkastream.handler.KafkaStreamHandlerBeanPostProcessor;

import org.springframework.beans.factory.InitializingBean;

/**
 * Starts the pipelines held while the rest of the application context is created, so that
 * their workers connect and join their groups meanwhile instead of after it. It is a bean
 * of the auto-configuration: the context creates it after the application's own beans,
 * whose definitions come first, and so after the handler beans; handler beans created
 * later still make the pipelines start again with them.
 */
final class EarlyPipelineStart implements InitializingBean {

	private final KafkaStreamLifecycle lifecycle;

	private final KafkaStreamHandlerBeanPostProcessor handlers;

	EarlyPipelineStart(KafkaStreamLifecycle lifecycle, KafkaStreamHandlerBeanPostProcessor handlers) {
		this.lifecycle = lifecycle;
		this.handlers = handlers;
	}

	@Override
	public void afterPropertiesSet() {
		this.lifecycle.startEarly(() -> this.handlers.handlers().size());
	}

}
