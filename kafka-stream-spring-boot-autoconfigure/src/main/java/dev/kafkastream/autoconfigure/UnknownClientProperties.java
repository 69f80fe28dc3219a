package dev.kafkastream.autoconfigure;

import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns about keys of the free-form client property maps ({@code kafka-stream.properties},
 * a source's or sink's {@code properties}) that no Kafka client knows. They are passed on,
 * as a serializer or interceptor may read its own settings there, but a misspelt client
 * setting would otherwise be ignored without a word.
 */
final class UnknownClientProperties {

	private static final Logger logger = LoggerFactory.getLogger(UnknownClientProperties.class);

	private static final Set<String> KNOWN = known();

	private UnknownClientProperties() {
	}

	private static Set<String> known() {
		Set<String> known = new HashSet<>(ConsumerConfig.configNames());
		known.addAll(ProducerConfig.configNames());
		known.addAll(AdminClientConfig.configNames());
		return Set.copyOf(known);
	}

	/**
	 * Logs a warning for every key of the map no Kafka client knows.
	 * @param property the name of the map's property
	 * @param properties the map
	 */
	static void warn(String property, Map<String, String> properties) {
		properties.keySet().stream().filter((key) -> !KNOWN.contains(key)).sorted().forEach((key) -> {
			String closest = closest(key);
			logger.warn("'{}.{}' is not a Kafka client setting: it is passed on, but no Kafka client uses it{}",
					property, key, (closest != null) ? " (did you mean '" + closest + "'?)" : "");
		});
	}

	private static @Nullable String closest(String key) {
		int tolerance = Math.max(2, key.length() / 4);
		return KNOWN.stream()
			.filter((candidate) -> PropertyNameSuggestions.distance(key, candidate) <= tolerance)
			.min(Comparator.comparingInt((String candidate) -> PropertyNameSuggestions.distance(key, candidate))
				.thenComparing(Comparator.naturalOrder()))
			.orElse(null);
	}

}
