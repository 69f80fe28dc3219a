package dev.kafkastream.autoconfigure;

import java.time.Duration;

import dev.kafkastream.actuate.KafkaClientMetricsListener;
import dev.kafkastream.actuate.KafkaStreamMetrics;
import dev.kafkastream.actuate.ProducerSendTimes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the kafka-stream Micrometer metrics: the pipelines' meters
 * ({@code kafka.stream.*}) and, unless {@code kafka-stream.metrics.client-metrics} is
 * {@code false}, the Kafka client metrics of their consumers and producers.
 */
@AutoConfiguration(after = KafkaStreamAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics")
@ConditionalOnBean({ MeterRegistry.class, KafkaStreamLifecycle.class })
@ConditionalOnBooleanProperty(name = "kafka-stream.metrics.enabled", matchIfMissing = true)
public final class KafkaStreamMetricsAutoConfiguration {

	/** How often the meters of partitions follow the assignments when lag is not looked up. */
	private static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);

	@Bean
	@ConditionalOnMissingBean
	ProducerSendTimes kafkaStreamProducerSendTimes() {
		return new ProducerSendTimes();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "kafka-stream.metrics.client-metrics", matchIfMissing = true)
	KafkaClientMetricsListener kafkaStreamClientMetricsListener(MeterRegistry registry, Environment environment) {
		return new KafkaClientMetricsListener(registry, applicationTags(environment));
	}

	@Bean
	KafkaStreamMetricsRegistrar kafkaStreamMetricsRegistrar(KafkaStreamLifecycle lifecycle, MeterRegistry registry,
			KafkaStreamProperties properties, ProducerSendTimes sendTimes, Environment environment) {
		Duration lagRefresh = properties.getLag().getRefreshInterval();
		Duration refreshInterval = (lagRefresh.isZero() || lagRefresh.isNegative()) ? DEFAULT_REFRESH_INTERVAL
				: lagRefresh;
		return new KafkaStreamMetricsRegistrar(registry,
				() -> new KafkaStreamMetrics(lifecycle.getRuntime(), applicationTags(environment),
						refreshInterval, sendTimes));
	}

	/**
	 * The {@code application} tag, from {@code spring.application.name}, unless
	 * {@code management.metrics.tags.application} adds it to every meter already.
	 */
	static Tags applicationTags(Environment environment) {
		String name = environment.getProperty("spring.application.name");
		if (!StringUtils.hasText(name) || environment.containsProperty("management.metrics.tags.application")) {
			return Tags.empty();
		}
		return Tags.of("application", name);
	}

}
