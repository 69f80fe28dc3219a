package dev.kafkastream.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Details of the Kafka cluster kafka-stream connects to. Declare a bean of this type to
 * replace the default, which takes the servers of a {@code KafkaConnectionDetails} bean
 * that is not Spring Boot's properties-backed one (a service connection), then
 * {@code kafka-stream.bootstrap-servers}, then {@code spring.kafka.bootstrap-servers}.
 */
public interface KafkaStreamConnectionDetails extends ConnectionDetails {

	/**
	 * The bootstrap servers, as host:port pairs.
	 * @return the bootstrap servers
	 * @throws KafkaStreamConfigurationException if none are configured
	 */
	List<String> getBootstrapServers();

}
