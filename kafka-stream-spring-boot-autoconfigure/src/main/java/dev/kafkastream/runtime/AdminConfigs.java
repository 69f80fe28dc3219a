package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The configuration of the runtime's admin clients, taken from a consumer's or producer's:
 * the same brokers and security settings, nothing the admin client does not know, and
 * calls that give up after a bounded time.
 */
final class AdminConfigs {

	static final Duration API_TIMEOUT = Duration.ofSeconds(10);

	private static final Set<String> ADMIN_PROPERTIES = AdminClientConfig.configNames();

	private AdminConfigs() {
	}

	static Map<String, Object> from(Map<String, ?> clientConfig, String clientId) {
		Map<String, Object> config = new HashMap<>();
		clientConfig.forEach((key, value) -> {
			if (ADMIN_PROPERTIES.contains(key)) {
				config.put(key, value);
			}
		});
		config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
		config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
		return config;
	}

}
