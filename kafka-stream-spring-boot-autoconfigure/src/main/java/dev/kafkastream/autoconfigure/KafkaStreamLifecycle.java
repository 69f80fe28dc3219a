package dev.kafkastream.autoconfigure;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.kafkastream.runtime.KafkaStreamRuntime;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;

/**
 * Owns the kafka-stream runtime in the application context: it is assembled, and the
 * configuration checked, once every singleton exists; the pipelines start when the
 * context is ready and stop with a final checkpoint when it closes.
 */
public class KafkaStreamLifecycle implements SmartLifecycle, SmartInitializingSingleton {

	private final Supplier<KafkaStreamRuntime> runtimeFactory;

	private final Duration shutdownTimeout;

	private final boolean autoStartup;

	private final Consumer<KafkaStreamRuntime> beforeStart;

	private volatile @Nullable KafkaStreamRuntime runtime;

	KafkaStreamLifecycle(Supplier<KafkaStreamRuntime> runtimeFactory, Duration shutdownTimeout, boolean autoStartup) {
		this(runtimeFactory, shutdownTimeout, autoStartup, (runtime) -> {
		});
	}

	KafkaStreamLifecycle(Supplier<KafkaStreamRuntime> runtimeFactory, Duration shutdownTimeout, boolean autoStartup,
			Consumer<KafkaStreamRuntime> beforeStart) {
		this.runtimeFactory = runtimeFactory;
		this.shutdownTimeout = shutdownTimeout;
		this.autoStartup = autoStartup;
		this.beforeStart = beforeStart;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.runtime == null) {
			this.runtime = this.runtimeFactory.get();
		}
	}

	/**
	 * The runtime with the application's pipelines and checkpoints.
	 * @return the runtime
	 */
	public KafkaStreamRuntime getRuntime() {
		KafkaStreamRuntime runtime = this.runtime;
		if (runtime == null) {
			afterSingletonsInstantiated();
			runtime = this.runtime;
		}
		return Objects.requireNonNull(runtime);
	}

	@Override
	public void start() {
		KafkaStreamRuntime runtime = getRuntime();
		if (!runtime.isRunning()) {
			this.beforeStart.accept(runtime);
		}
		runtime.start();
	}

	@Override
	public void stop() {
		KafkaStreamRuntime runtime = this.runtime;
		if (runtime != null) {
			runtime.stop(this.shutdownTimeout);
		}
	}

	@Override
	public boolean isRunning() {
		KafkaStreamRuntime runtime = this.runtime;
		return runtime != null && runtime.isRunning();
	}

}
