package dev.kafkastream.autoconfigure;

import dev.kafkastream.handler.KafkaStreamHandlerBeanPostProcessor;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.SpringProperties;

/**
 * Starts the pipelines held while the rest of the application context is created, so that
 * their workers connect and join their groups meanwhile instead of after it. It is a bean
 * of the auto-configuration: the context creates it after the application's own beans,
 * whose definitions come first, and so after the handler beans; handler beans created
 * later still make the pipelines start again with them. Nothing starts early in a run
 * that ends, or is checkpointed, once the context is refreshed
 * ({@code -Dspring.context.exit=onRefresh}, as a training run for a CDS archive or an AOT
 * cache is, or {@code -Dspring.context.checkpoint=onRefresh}): such a run starts no
 * lifecycle, and must not join the application's groups.
 */
final class EarlyPipelineStart implements InitializingBean {

	private static final String ON_REFRESH = "onRefresh";

	private final KafkaStreamLifecycle lifecycle;

	private final KafkaStreamHandlerBeanPostProcessor handlers;

	EarlyPipelineStart(KafkaStreamLifecycle lifecycle, KafkaStreamHandlerBeanPostProcessor handlers) {
		this.lifecycle = lifecycle;
		this.handlers = handlers;
	}

	@Override
	public void afterPropertiesSet() {
		if (!endsOrIsCheckpointedOnRefresh()) {
			this.lifecycle.startEarly(() -> this.handlers.handlers().size());
		}
	}

	private static boolean endsOrIsCheckpointedOnRefresh() {
		return ON_REFRESH.equalsIgnoreCase(SpringProperties.getProperty("spring.context.exit"))
				|| ON_REFRESH.equalsIgnoreCase(SpringProperties.getProperty("spring.context.checkpoint"));
	}

}
