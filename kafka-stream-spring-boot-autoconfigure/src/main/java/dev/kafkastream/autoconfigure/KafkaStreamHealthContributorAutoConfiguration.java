package dev.kafkastream.autoconfigure;

import dev.kafkastream.actuate.KafkaStreamHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code kafkaStream} health contributor.
 */
@AutoConfiguration(after = KafkaStreamAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(KafkaStreamLifecycle.class)
@ConditionalOnEnabledHealthIndicator("kafkaStream")
public final class KafkaStreamHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "kafkaStreamHealthIndicator")
	KafkaStreamHealthIndicator kafkaStreamHealthIndicator(KafkaStreamLifecycle lifecycle) {
		return new KafkaStreamHealthIndicator(lifecycle::getRuntime);
	}

}
