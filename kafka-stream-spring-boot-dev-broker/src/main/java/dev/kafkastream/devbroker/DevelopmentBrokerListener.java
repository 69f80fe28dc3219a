package dev.kafkastream.devbroker;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Starts a {@link DevelopmentBroker} once the environment is prepared (before the
 * application context is refreshed) when no bootstrap servers are configured, creates the
 * configured topics on it and points {@code spring.kafka.bootstrap-servers} at it. The
 * broker is registered as the bean {@value #BEAN_NAME} before any other bean, so it is
 * stopped after all of them when the context closes: the pipelines' final checkpoint
 * still reaches it.
 *
 * <p>Not started when {@code kafka-stream.dev-broker.enabled} is {@code false}, in tests
 * (unless {@code kafka-stream.dev-broker.skip.in-tests} is {@code false}), during Spring
 * AOT processing, or when {@code kafka-stream.bootstrap-servers} or
 * {@code spring.kafka.bootstrap-servers} is set.
 */
public class DevelopmentBrokerListener implements ApplicationListener<SpringApplicationEvent>, Ordered {

	/**
	 * Name of the bean of the running {@link DevelopmentBroker}.
	 */
	public static final String BEAN_NAME = "kafkaStreamDevelopmentBroker";

	/**
	 * Name of the property source that points {@code spring.kafka.bootstrap-servers} at the
	 * broker.
	 */
	public static final String PROPERTY_SOURCE_NAME = "kafkaStreamDevelopmentBroker";

	private static final List<String> BOOTSTRAP_SERVERS_PROPERTIES = List.of("kafka-stream.bootstrap-servers",
			"spring.kafka.bootstrap-servers");

	private static final Logger logger = LoggerFactory.getLogger(DevelopmentBrokerListener.class);

	private @Nullable DevelopmentBroker broker;

	@Override
	public int getOrder() {
		// after the config data and logging listeners
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void onApplicationEvent(SpringApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			startIfNeeded(prepared.getEnvironment());
		}
		else if (event instanceof ApplicationPreparedEvent prepared) {
			register(prepared);
		}
		else if (event instanceof ApplicationFailedEvent) {
			stop();
		}
	}

	private void startIfNeeded(ConfigurableEnvironment environment) {
		DevelopmentBrokerProperties properties = DevelopmentBrokerProperties.get(environment);
		String reason = reasonNotToStart(environment, properties);
		if (reason != null) {
			logger.debug("Development Kafka broker not started: {}", reason);
			return;
		}
		long begin = System.nanoTime();
		DevelopmentBroker started = DevelopmentBroker.start(properties);
		this.broker = started;
		Set<String> created = started.createTopics(ConfiguredTopics.of(environment), properties.getPartitions());
		environment.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of("spring.kafka.bootstrap-servers", started.getBootstrapServers())));
		logger.info("No Kafka bootstrap servers configured: started a development Kafka broker at {} in {} ms,"
				+ " data in {}{}; created topics {}", started.getBootstrapServers(),
				(System.nanoTime() - begin) / 1_000_000, started.getDataDirectory(),
				started.isTemporary() ? " (deleted on exit)" : "", created);
	}

	private static @Nullable String reasonNotToStart(ConfigurableEnvironment environment,
			DevelopmentBrokerProperties properties) {
		if (!properties.isEnabled()) {
			return DevelopmentBrokerProperties.PREFIX + ".enabled is false";
		}
		if (Boolean.getBoolean("spring.aot.processing")) {
			return "Spring AOT processing";
		}
		for (String property : BOOTSTRAP_SERVERS_PROPERTIES) {
			if (isSet(environment, property)) {
				return property + " is set";
			}
		}
		if (properties.getSkip().isInTests() && TestEnvironment.isRunningTest()) {
			return "running in a test and " + DevelopmentBrokerProperties.PREFIX + ".skip.in-tests is true";
		}
		return null;
	}

	private static boolean isSet(ConfigurableEnvironment environment, String property) {
		return Binder.get(environment)
			.bind(property, Bindable.listOf(String.class))
			.orElse(List.of())
			.stream()
			.anyMatch(StringUtils::hasText);
	}

	private void register(ApplicationPreparedEvent event) {
		DevelopmentBroker running = this.broker;
		if (running == null) {
			return;
		}
		DefaultListableBeanFactory beanFactory = (DefaultListableBeanFactory) event.getApplicationContext()
			.getBeanFactory();
		beanFactory.registerSingleton(BEAN_NAME, running);
		// registered before any other bean, so destroyed after all of them
		beanFactory.registerDisposableBean(BEAN_NAME, this::stop);
	}

	private synchronized void stop() {
		DevelopmentBroker running = this.broker;
		this.broker = null;
		if (running != null) {
			logger.info("Stopping the development Kafka broker at {}", running.getBootstrapServers());
			running.close();
		}
	}

}
