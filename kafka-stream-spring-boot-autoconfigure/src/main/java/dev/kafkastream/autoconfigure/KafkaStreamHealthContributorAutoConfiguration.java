package dev.kafkastream.autoconfigure;

import java.time.Duration;

import dev.kafkastream.actuate.KafkaStreamHealthIndicator;
import dev.kafkastream.actuate.KafkaStreamHealthThresholds;
import dev.kafkastream.actuate.KafkaStreamLivenessHealthIndicator;
import dev.kafkastream.actuate.KafkaStreamLivenessStatePublisher;
import dev.kafkastream.actuate.KafkaStreamReadinessHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code kafkaStream} health contributor and, with Spring
 * Boot's availability probes, of the {@code kafkaStreamReadiness} and
 * {@code kafkaStreamLiveness} contributors for the {@code readiness} and
 * {@code liveness} health groups.
 */
@AutoConfiguration(after = KafkaStreamAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(KafkaStreamLifecycle.class)
@EnableConfigurationProperties(KafkaStreamHealthIndicatorProperties.class)
public final class KafkaStreamHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "kafkaStreamHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("kafkastream")
	KafkaStreamHealthIndicator kafkaStreamHealthIndicator(KafkaStreamLifecycle lifecycle,
			KafkaStreamProperties properties, KafkaStreamHealthIndicatorProperties health) {
		return new KafkaStreamHealthIndicator(lifecycle::getRuntime, thresholds(properties, health));
	}

	static KafkaStreamHealthThresholds thresholds(KafkaStreamProperties properties,
			KafkaStreamHealthIndicatorProperties health) {
		Duration refreshInterval = properties.getLag().getRefreshInterval();
		if (health.getMaxLag() != null && refreshInterval.isZero()) {
			throw new KafkaStreamConfigurationException("management.health.kafkastream.max-lag",
					"A maximum lag is set but kafka-stream.lag.refresh-interval is 0, so no lag is ever known",
					"Set kafka-stream.lag.refresh-interval above 0, or remove management.health.kafkastream.max-lag.");
		}
		if (health.getMaxLag() != null && health.getMaxLag() < 0) {
			throw new KafkaStreamConfigurationException("management.health.kafkastream.max-lag",
					"The maximum lag is negative", "Set it to 0 or more, or remove it for no limit.");
		}
		if (health.getToleratedCheckpointFailures() < 0) {
			throw new KafkaStreamConfigurationException("management.health.kafkastream.tolerated-checkpoint-failures",
					"The tolerated checkpoint failures are negative", "Set it to 0 or more.");
		}
		Duration maxCheckpointAge = health.getMaxCheckpointAge();
		if (maxCheckpointAge == null) {
			KafkaStreamProperties.Checkpoint checkpoint = properties.getCheckpoint();
			maxCheckpointAge = checkpoint.getInterval().plus(checkpoint.getMinPause()).plus(checkpoint.getTimeout())
				.multipliedBy(3);
		}
		else if (maxCheckpointAge.isNegative() || maxCheckpointAge.isZero()) {
			throw new KafkaStreamConfigurationException("management.health.kafkastream.max-checkpoint-age",
					"The maximum checkpoint age is not positive", "Set it above 0, or remove it for the default.");
		}
		return new KafkaStreamHealthThresholds(maxCheckpointAge, health.getToleratedCheckpointFailures(),
				health.getMaxLag());
	}

	/**
	 * The contributors for Spring Boot's availability probes, present when the probes
	 * are ({@code management.endpoint.health.probes.enabled}, on by default). They are
	 * members of the {@code readiness} and {@code liveness} groups once listed in their
	 * {@code include}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	@ConditionalOnBooleanProperty(name = "management.endpoint.health.probes.enabled", matchIfMissing = true)
	static class AvailabilityProbesConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "kafkaStreamReadinessHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("kafkastreamreadiness")
		KafkaStreamReadinessHealthIndicator kafkaStreamReadinessHealthIndicator(KafkaStreamLifecycle lifecycle) {
			return new KafkaStreamReadinessHealthIndicator(lifecycle::getRuntime);
		}

		@Bean
		@ConditionalOnMissingBean(name = "kafkaStreamLivenessHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("kafkastreamliveness")
		KafkaStreamLivenessHealthIndicator kafkaStreamLivenessHealthIndicator(KafkaStreamLifecycle lifecycle) {
			return new KafkaStreamLivenessHealthIndicator(lifecycle::getRuntime);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnEnabledHealthIndicator("kafkastreamliveness")
		KafkaStreamLivenessStatePublisher kafkaStreamLivenessStatePublisher(KafkaStreamLifecycle lifecycle,
				ApplicationEventPublisher publisher) {
			return new KafkaStreamLivenessStatePublisher(lifecycle::getRuntime, publisher);
		}

	}

}
