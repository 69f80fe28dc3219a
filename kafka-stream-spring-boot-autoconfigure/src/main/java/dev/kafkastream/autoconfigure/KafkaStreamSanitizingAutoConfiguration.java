package dev.kafkastream.autoconfigure;

import java.util.regex.Pattern;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that keeps Kafka secrets out of the {@code configprops} and
 * {@code env} Actuator endpoints even when they show values
 * ({@code management.endpoint.*.show-values}): the passwords, secrets and JAAS
 * configurations of {@code kafka-stream.*} and {@code spring.kafka.*}, including those
 * given as raw client properties such as {@code kafka-stream.properties.sasl.jaas.config},
 * and the passwords and private keys of the SSL bundles ({@code spring.ssl.bundle.*}).
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class KafkaStreamSanitizingAutoConfiguration {

	/**
	 * Keys whose values are Kafka secrets: those of {@code kafka-stream.*} and
	 * {@code spring.kafka.*}, and the passwords and private keys of Spring Boot's SSL
	 * bundles, which hold the clients' key stores whatever their name.
	 */
	static final Pattern SECRET_KEYS = Pattern
		.compile(".*kafka.*(password|secret|jaas[-._]?config)|spring\\.ssl\\.bundle\\..*(password|private-?key)");

	@Bean
	@ConditionalOnMissingBean(name = "kafkaStreamSanitizingFunction")
	SanitizingFunction kafkaStreamSanitizingFunction() {
		return SanitizingFunction.sanitizeValue()
			.ifKeyMatches((key) -> SECRET_KEYS.matcher(key.toLowerCase(java.util.Locale.ROOT)).matches());
	}

}
