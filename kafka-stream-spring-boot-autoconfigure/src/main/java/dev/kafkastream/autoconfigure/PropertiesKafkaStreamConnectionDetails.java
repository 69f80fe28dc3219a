package dev.kafkastream.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Connection details from a {@code KafkaConnectionDetails} bean that is not Spring Boot's
 * properties-backed one (a service connection, a user bean), which wins over configured
 * servers as it does in Spring Boot; then {@code kafka-stream.bootstrap-servers}; then
 * {@code spring.kafka.bootstrap-servers}.
 */
class PropertiesKafkaStreamConnectionDetails implements KafkaStreamConnectionDetails {

	private final KafkaStreamProperties properties;

	private final Environment environment;

	private final @Nullable BootKafkaSettings bootKafka;

	PropertiesKafkaStreamConnectionDetails(KafkaStreamProperties properties, Environment environment,
			@Nullable BootKafkaSettings bootKafka) {
		this.properties = properties;
		this.environment = environment;
		this.bootKafka = bootKafka;
	}

	@Override
	public List<String> getBootstrapServers() {
		return resolve().servers();
	}

	/**
	 * Where the bootstrap servers come from, for the start-up log.
	 * @return the property or bean that gives them
	 */
	String origin() {
		return resolve().origin();
	}

	private Resolved resolve() {
		List<String> overriding = (this.bootKafka != null) ? this.bootKafka.overridingBootstrapServers() : null;
		if (overriding != null && !nonBlank(overriding).isEmpty()) {
			return new Resolved(nonBlank(overriding), this.bootKafka.connectionDetailsOrigin());
		}
		List<String> servers = nonBlank(this.properties.getBootstrapServers());
		if (!servers.isEmpty()) {
			return new Resolved(servers, "kafka-stream.bootstrap-servers");
		}
		if (this.bootKafka != null) {
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
		return new Resolved(servers, "spring.kafka.bootstrap-servers");
	}

	private static List<String> nonBlank(List<String> servers) {
		return servers.stream().map(String::trim).filter(StringUtils::hasText).toList();
	}

	private record Resolved(List<String> servers, String origin) {

	}

}
