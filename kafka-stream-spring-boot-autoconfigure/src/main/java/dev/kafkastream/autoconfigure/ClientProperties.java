package dev.kafkastream.autoconfigure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Builds Kafka client configurations in layers: {@code kafka-stream.properties}, then a
 * source's or sink's own properties, then the bootstrap servers.
 */
final class ClientProperties {

	private final Map<String, String> common;

	private final String bootstrapServers;

	ClientProperties(Map<String, String> common, List<String> bootstrapServers) {
		this.common = common;
		this.bootstrapServers = String.join(",", bootstrapServers);
	}

	Map<String, Object> of(Map<String, String> specific) {
		Map<String, Object> config = new HashMap<>(this.common);
		config.putAll(specific);
		config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers);
		return config;
	}

}
