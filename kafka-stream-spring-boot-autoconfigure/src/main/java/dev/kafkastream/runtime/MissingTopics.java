package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the brokers whether a topic exists, within a bounded time, after a send failed
 * because the producer found no metadata for it: only a topic the brokers say does not
 * exist counts as missing; a lookup that fails or takes too long (the broker is slow or
 * gone) does not.
 */
final class MissingTopics {

	private static final Logger logger = LoggerFactory.getLogger(MissingTopics.class);

	private final KafkaClients clients;

	private final Map<String, Object> adminConfig;

	private final String name;

	/**
	 * Creates the lookup.
	 * @param clients creates the admin client
	 * @param clientConfig the configuration of the client whose send failed, for the same
	 * brokers and security settings
	 * @param clientId the client id of the admin client
	 * @param name the worker's name, for log lines
	 */
	MissingTopics(KafkaClients clients, Map<String, Object> clientConfig, String clientId, String name) {
		this.clients = clients;
		this.adminConfig = AdminConfigs.from(clientConfig, clientId);
		this.name = name;
	}

	/**
	 * Whether the brokers say a topic does not exist.
	 * @param topic the topic
	 * @return {@code true} if it does not exist, {@code false} if it does or the brokers
	 * did not answer in time
	 */
	boolean isMissing(String topic) {
		Admin admin = null;
		try {
			admin = this.clients.createAdmin(this.adminConfig);
			admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get(AdminConfigs.API_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			return false;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
				return true;
			}
			logger.debug("{} could not tell whether topic '{}' exists", this.name, topic, ex);
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (Exception ex) {
			logger.debug("{} could not tell whether topic '{}' exists", this.name, topic, ex);
			return false;
		}
		finally {
			if (admin != null) {
				admin.close(Duration.ZERO);
			}
		}
	}

}
