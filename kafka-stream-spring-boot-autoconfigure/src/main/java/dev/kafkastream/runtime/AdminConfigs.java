package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The configuration of the runtime's admin clients, from a source's or sink's admin
 * properties: the same brokers and security settings, without the consumer and producer
 * settings the admin client does not know, and calls that give up after a bounded time.
 * Properties that are no client's settings are kept: pluggable classes, such as an SSL
 * engine factory, read their own.
 */
final class AdminConfigs {

	static final Duration API_TIMEOUT = Duration.ofSeconds(10);

	private static final Set<String> ADMIN_PROPERTIES = AdminClientConfig.configNames();

	private static final Set<String> CONSUMER_PROPERTIES = ConsumerConfig.configNames();

	private static final Set<String> PRODUCER_PROPERTIES = ProducerConfig.configNames();

	private AdminConfigs() {
	}

	static Map<String, Object> from(Map<String, ?> clientConfig, String clientId) {
		Map<String, Object> config = new HashMap<>();
		clientConfig.forEach((key, value) -> {
			if (ADMIN_PROPERTIES.contains(key)
					|| (!CONSUMER_PROPERTIES.contains(key) && !PRODUCER_PROPERTIES.contains(key))) {
				config.put(key, value);
			}
		});
		config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
		config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
		return config;
	}

}
