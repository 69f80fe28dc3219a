package dev.kafkastream.autoconfigure;

import dev.kafkastream.actuate.KafkaStreamEndpoint;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code kafkastream} Actuator endpoint. The availability
 * condition is on the bean method: its condition class comes with Actuator, so it is
 * only evaluated once the class condition found Actuator.
 */
@AutoConfiguration(after = KafkaStreamAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
		"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
@ConditionalOnBean(KafkaStreamLifecycle.class)
public final class KafkaStreamEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(KafkaStreamEndpoint.class)
	KafkaStreamEndpoint kafkaStreamEndpoint(KafkaStreamLifecycle lifecycle) {
		return new KafkaStreamEndpoint(lifecycle::getRuntime);
	}

}
