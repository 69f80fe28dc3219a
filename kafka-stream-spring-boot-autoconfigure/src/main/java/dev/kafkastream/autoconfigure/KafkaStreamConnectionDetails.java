package dev.kafkastream.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Details of the Kafka cluster kafka-stream connects to. Declare a bean of this type to
 * replace the default, which reads {@code kafka-stream.bootstrap-servers} and falls back
 * to Spring Boot's {@code KafkaConnectionDetails}.
 */
public interface KafkaStreamConnectionDetails extends ConnectionDetails {

	/**
	 * The bootstrap servers, as host:port pairs.
	 * @return the bootstrap servers
	 * @throws KafkaStreamConfigurationException if none are configured
	 */
	List<String> getBootstrapServers();

}
