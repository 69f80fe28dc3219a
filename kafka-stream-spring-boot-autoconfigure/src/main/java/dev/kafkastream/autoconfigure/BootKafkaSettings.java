package dev.kafkastream.autoconfigure;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;

/**
 * What Spring Boot's Kafka support says about the cluster: its {@code spring.kafka.*}
 * properties and its {@code KafkaConnectionDetails}. Available when spring-boot-kafka is.
 */
interface BootKafkaSettings {

	/**
	 * The client properties of {@code spring.kafka.*} for a kind of client, as Spring
	 * Boot builds them, without those kafka-stream owns.
	 * @param kind the kind of client
	 * @return the properties
	 */
	Map<String, Object> properties(ClientKind kind);

	/**
	 * The security protocol and SSL bundle of the connection details for a kind of client,
	 * as client properties.
	 * @param kind the kind of client
	 * @return the properties
	 */
	Map<String, Object> connectionSecurity(ClientKind kind);

	/**
	 * Describes where the connection details come from, for the start-up log.
	 * @return the description
	 */
	String connectionDetailsOrigin();

	/**
	 * The bootstrap servers of a {@code KafkaConnectionDetails} bean that does not read
	 * Spring Boot's properties (a service connection, a user bean): they win over every
	 * configured server, as they do in Spring Boot.
	 * @return the servers, or {@code null} when the details are Spring Boot's properties
	 */
	@Nullable List<String> overridingBootstrapServers();

	/**
	 * The bootstrap servers of {@code spring.kafka.bootstrap-servers}.
	 * @return the servers, empty when Spring Boot only has its default
	 */
	List<String> bootstrapServers();

	/**
	 * The client properties that make a client use an SSL bundle.
	 * @param bundle the bundle
	 * @return the properties
	 */
	Map<String, Object> sslBundleProperties(SslBundle bundle);

	/**
	 * Whether {@code spring.kafka.jaas.enabled} installs a JVM-wide JAAS login module.
	 * @return whether it does
	 */
	boolean jaasEnabled();

}
