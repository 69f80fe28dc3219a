package dev.kafkastream.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Connection details from {@code kafka-stream.bootstrap-servers}, then Spring Boot's
 * Kafka connection details, then {@code spring.kafka.bootstrap-servers}.
 */
class PropertiesKafkaStreamConnectionDetails implements KafkaStreamConnectionDetails {

	private final KafkaStreamProperties properties;

	private final Environment environment;

	private final @Nullable BootKafkaBootstrapServers bootKafka;

	PropertiesKafkaStreamConnectionDetails(KafkaStreamProperties properties, Environment environment,
			@Nullable BootKafkaBootstrapServers bootKafka) {
		this.properties = properties;
		this.environment = environment;
		this.bootKafka = bootKafka;
	}

	@Override
	public List<String> getBootstrapServers() {
		List<String> servers = nonBlank(this.properties.getBootstrapServers());
		if (servers.isEmpty() && this.bootKafka != null) {
			servers = nonBlank(this.bootKafka.bootstrapServers());
		}
		if (servers.isEmpty()) {
			String[] fromSpringKafka = this.environment.getProperty("spring.kafka.bootstrap-servers", String[].class);
			servers = (fromSpringKafka != null) ? nonBlank(List.of(fromSpringKafka)) : List.of();
		}
		if (servers.isEmpty()) {
			throw new KafkaStreamConfigurationException("kafka-stream.bootstrap-servers",
					"No Kafka bootstrap servers are configured",
					"Set 'kafka-stream.bootstrap-servers' (or 'spring.kafka.bootstrap-servers') to the host:port"
							+ " pairs of your Kafka brokers.");
		}
		return servers;
	}

	private static List<String> nonBlank(List<String> servers) {
		return servers.stream().map(String::trim).filter(StringUtils::hasText).toList();
	}

}
