package dev.kafkastream.autoconfigure;

import java.util.function.Supplier;

import dev.kafkastream.actuate.KafkaStreamMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds the runtime's meters once every singleton exists, when the runtime can be
 * assembled (a {@code MeterBinder} bean would be bound as the registry is created, before
 * the handlers are known).
 */
class KafkaStreamMetricsRegistrar implements SmartInitializingSingleton, DisposableBean {

	private final MeterRegistry registry;

	private final Supplier<KafkaStreamMetrics> metrics;

	private @Nullable KafkaStreamMetrics bound;

	KafkaStreamMetricsRegistrar(MeterRegistry registry, Supplier<KafkaStreamMetrics> metrics) {
		this.registry = registry;
		this.metrics = metrics;
	}

	@Override
	public void afterSingletonsInstantiated() {
		KafkaStreamMetrics metrics = this.metrics.get();
		metrics.bindTo(this.registry);
		this.bound = metrics;
	}

	@Override
	public void destroy() {
		if (this.bound != null) {
			this.bound.close();
		}
	}

}
