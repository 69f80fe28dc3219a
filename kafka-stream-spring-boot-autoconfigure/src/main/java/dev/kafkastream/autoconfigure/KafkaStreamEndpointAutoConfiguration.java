package dev.kafkastream.autoconfigure;

import dev.kafkastream.actuate.KafkaStreamEndpoint;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code kafkastream} Actuator endpoint.
 */
@AutoConfiguration(after = KafkaStreamAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(KafkaStreamLifecycle.class)
@ConditionalOnAvailableEndpoint(KafkaStreamEndpoint.class)
public final class KafkaStreamEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KafkaStreamEndpoint kafkaStreamEndpoint(KafkaStreamLifecycle lifecycle) {
		return new KafkaStreamEndpoint(lifecycle::getRuntime);
	}

}
