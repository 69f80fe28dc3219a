package dev.kafkastream.autoconfigure;

import dev.kafkastream.observation.HandlerContextPropagator;
import dev.kafkastream.observation.HandlerObserverFactory;
import dev.kafkastream.observation.KafkaStreamHandlerObservationConvention;
import dev.kafkastream.observation.MicrometerHandlerObserverFactory;
import dev.kafkastream.observation.TracingHandlerContextPropagator;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the Micrometer Observation of handler calls, for the sources
 * where {@code kafka-stream.observation.enabled} (or the source's
 * {@code observation-enabled}) is on. With Micrometer Tracing, the records written for a
 * call carry the context of its span, through the application's propagator.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration" })
@ConditionalOnClass({ KafkaConsumer.class, ObservationRegistry.class })
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "kafka-stream.enabled", matchIfMissing = true)
public final class KafkaStreamObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HandlerObserverFactory kafkaStreamHandlerObserverFactory(ObservationRegistry registry,
			ObjectProvider<KafkaStreamHandlerObservationConvention> convention,
			ObjectProvider<HandlerContextPropagator> propagator) {
		return new MicrometerHandlerObserverFactory(registry, convention.getIfUnique(), propagator.getIfUnique());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Propagator.class)
	static class TracingConfiguration {

		@Bean
		@ConditionalOnBean(Propagator.class)
		@ConditionalOnMissingBean
		HandlerContextPropagator kafkaStreamHandlerContextPropagator(Propagator propagator) {
			return new TracingHandlerContextPropagator(propagator);
		}

	}

}
