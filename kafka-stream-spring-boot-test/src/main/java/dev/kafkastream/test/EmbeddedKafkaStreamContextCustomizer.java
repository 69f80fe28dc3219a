package dev.kafkastream.test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points the application of a Spring test at the shared embedded broker, creates the topics it needs, and registers
 * the broker as a bean; see {@link EmbeddedKafkaStream}.
 */
class EmbeddedKafkaStreamContextCustomizer implements ContextCustomizer {

	static final String PROPERTY_SOURCE_NAME = "embeddedKafkaStream";

	static final String BEAN_NAME = "embeddedKafkaStreamBroker";

	private final Set<String> topics;

	private final int partitions;

	private final boolean createConfiguredTopics;

	EmbeddedKafkaStreamContextCustomizer(EmbeddedKafkaStream annotation) {
		this.topics = new LinkedHashSet<>(List.of(annotation.topics()));
		this.partitions = annotation.partitions();
		this.createConfiguredTopics = annotation.createConfiguredTopics();
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		EmbeddedKafkaBrokerSupport broker = EmbeddedKafkaBrokerSupport.shared();
		ConfigurableEnvironment environment = context.getEnvironment();
		Set<String> toCreate = new LinkedHashSet<>(this.topics);
		if (this.createConfiguredTopics) {
			toCreate.addAll(ConfiguredTopics.of(environment));
		}
		broker.createTopics(toCreate, this.partitions);
		String servers = broker.bootstrapServers();
		environment.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("kafka-stream.bootstrap-servers", servers,
					"spring.kafka.bootstrap-servers", servers)));
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		if (!beanFactory.containsSingleton(BEAN_NAME)) {
			beanFactory.registerSingleton(BEAN_NAME, broker);
		}
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof EmbeddedKafkaStreamContextCustomizer that) && this.topics.equals(that.topics)
				&& this.partitions == that.partitions && this.createConfiguredTopics == that.createConfiguredTopics;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.topics, this.partitions, this.createConfiguredTopics);
	}

}
