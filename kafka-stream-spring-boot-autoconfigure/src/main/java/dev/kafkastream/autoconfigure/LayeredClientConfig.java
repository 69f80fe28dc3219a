package dev.kafkastream.autoconfigure;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.clients.CommonClientConfigs;

import org.springframework.boot.ssl.SslBundle;

/**
 * A Kafka client configuration made of layers, each overriding the ones before, that
 * remembers which layer set each property, so the start-up log can say where a security
 * setting came from without saying its value.
 */
final class LayeredClientConfig {

	private final Map<String, Object> values = new HashMap<>();

	private final Map<String, String> layers = new HashMap<>();

	/**
	 * Applies a layer.
	 * @param layer the name of the layer, such as {@code kafka-stream.security}
	 * @param entries its properties
	 * @return this configuration
	 */
	LayeredClientConfig apply(String layer, Map<String, ?> entries) {
		entries.forEach((key, value) -> {
			this.values.put(key, value);
			this.layers.put(key, layer);
		});
		return this;
	}

	/**
	 * The properties.
	 * @return a copy of the properties
	 */
	Map<String, Object> values() {
		return new HashMap<>(this.values);
	}

	/**
	 * Where the security settings came from, by layer, without their values.
	 * @return the description, such as
	 * {@code sasl.jaas.config, sasl.mechanism from kafka-stream.security}
	 */
	String describeSecurity() {
		Map<String, TreeSet<String>> byLayer = new TreeMap<>();
		this.layers.forEach((key, layer) -> {
			if (isSecurity(key)) {
				byLayer.computeIfAbsent(layer, (name) -> new TreeSet<>()).add(describe(key));
			}
		});
		if (byLayer.isEmpty()) {
			return "none (PLAINTEXT)";
		}
		return byLayer.entrySet()
			.stream()
			.map((entry) -> String.join(", ", entry.getValue()) + " from " + entry.getKey())
			.collect(Collectors.joining("; "));
	}

	private static boolean isSecurity(String key) {
		return key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || key.startsWith("sasl.")
				|| key.startsWith("ssl.") || key.equals(SslBundle.class.getName());
	}

	private static String describe(String key) {
		return key.equals(SslBundle.class.getName()) ? "SSL bundle" : key;
	}

}
