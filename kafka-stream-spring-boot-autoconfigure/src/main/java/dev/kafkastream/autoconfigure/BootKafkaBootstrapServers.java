package dev.kafkastream.autoconfigure;

import java.util.List;

/**
 * The bootstrap servers of Spring Boot's Kafka connection details, when they were
 * configured rather than defaulted.
 */
@FunctionalInterface
interface BootKafkaBootstrapServers {

	/**
	 * The bootstrap servers.
	 * @return the servers, empty when Spring Boot only has its default
	 */
	List<String> bootstrapServers();

}
