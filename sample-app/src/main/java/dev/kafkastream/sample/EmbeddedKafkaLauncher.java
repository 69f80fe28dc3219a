package dev.kafkastream.sample;

import java.util.List;
import java.util.Map;

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
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Starts an in-process, single-node KRaft Kafka broker when the application has no
 * bootstrap servers configured (neither {@code kafka-stream.bootstrap-servers} nor
 * {@code spring.kafka.bootstrap-servers}), and points {@code spring.kafka.bootstrap-servers}
 * at it, so that the sample runs on a machine with nothing but a JDK. The broker is
 * started before the application context is refreshed, registered as the bean
 * {@value #BEAN_NAME}, and stopped after every other bean when the context closes (so the
 * pipelines' final checkpoint still reaches it).
 *
 * <p>Registered in {@code META-INF/spring.factories}. The broker listens on a free port,
 * logged at start-up; its data lives in a temporary directory deleted on exit.
 */
public class EmbeddedKafkaLauncher implements ApplicationListener<SpringApplicationEvent> {

	static final String BEAN_NAME = "embeddedKafkaBroker";

	static final String PROPERTY_SOURCE_NAME = "embeddedKafka";

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedKafkaLauncher.class);

	/**
	 * Broker settings for transactions and consumer groups on a single broker.
	 */
	static final Map<String, String> BROKER_PROPERTIES = Map.of(
			"transaction.state.log.replication.factor", "1",
			"transaction.state.log.min.isr", "1",
			"transaction.state.log.num.partitions", "4",
			"offsets.topic.replication.factor", "1",
			"offsets.topic.num.partitions", "4",
			"group.initial.rebalance.delay.ms", "0");

	private volatile EmbeddedKafkaKraftBroker broker;

	@Override
	public void onApplicationEvent(SpringApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			startIfNeeded(prepared.getEnvironment());
		}
		else if (event instanceof ApplicationPreparedEvent prepared && this.broker != null) {
			EmbeddedKafkaKraftBroker started = this.broker;
			DefaultListableBeanFactory beanFactory = (DefaultListableBeanFactory) prepared.getApplicationContext()
				.getBeanFactory();
			beanFactory.registerSingleton(BEAN_NAME, started);
			// Registered before any other bean, so destroyed after all of them.
			beanFactory.registerDisposableBean(BEAN_NAME, this::stop);
		}
		else if (event instanceof ApplicationFailedEvent) {
			stop();
		}
	}

	private void startIfNeeded(ConfigurableEnvironment environment) {
		if (this.broker != null || hasBootstrapServers(environment)) {
			return;
		}
		long start = System.nanoTime();
		EmbeddedKafkaKraftBroker kraft = new EmbeddedKafkaKraftBroker(1, 1);
		kraft.brokerProperties(BROKER_PROPERTIES);
		kraft.afterPropertiesSet();
		this.broker = kraft;
		String servers = kraft.getBrokersAsString();
		environment.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("spring.kafka.bootstrap-servers", servers)));
		logger.info("No Kafka bootstrap servers configured: started an embedded Kafka broker at {} in {} ms", servers,
				(System.nanoTime() - start) / 1_000_000);
	}

	private static boolean hasBootstrapServers(ConfigurableEnvironment environment) {
		return !bootstrapServers(environment).isEmpty();
	}

	private synchronized void stop() {
		EmbeddedKafkaKraftBroker running = this.broker;
		this.broker = null;
		if (running != null) {
			logger.info("Stopping the embedded Kafka broker at {}", running.getBrokersAsString());
			running.destroy();
		}
	}

	/**
	 * Whether the application runs on an embedded broker started by this class.
	 * @param environment the application's environment
	 * @return whether the broker is embedded
	 */
	static boolean isEmbedded(ConfigurableEnvironment environment) {
		return environment.getPropertySources().contains(PROPERTY_SOURCE_NAME);
	}

	/**
	 * The bootstrap servers the application uses: {@code kafka-stream.bootstrap-servers},
	 * else {@code spring.kafka.bootstrap-servers}.
	 * @param environment the application's environment
	 * @return the servers
	 */
	static List<String> bootstrapServers(ConfigurableEnvironment environment) {
		List<String> servers = bind(environment, "kafka-stream.bootstrap-servers");
		return servers.isEmpty() ? bind(environment, "spring.kafka.bootstrap-servers") : servers;
	}

	private static List<String> bind(ConfigurableEnvironment environment, String property) {
		return Binder.get(environment)
			.bind(property, Bindable.listOf(String.class))
			.orElse(List.of())
			.stream()
			.map(String::trim)
			.filter((server) -> !server.isEmpty())
			.toList();
	}

}
