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
 * context is ready and stop with a final checkpoint when it closes. It can be stopped
 * and started again ({@code context.stop()}, {@code context.start()}).
 * <p>
 * It runs in phase {@link #PHASE}: on shutdown the web server's graceful shutdown (and
 * every lifecycle of the default phase, such as schedulers and task executors) ends
 * first, so requests and tasks still in flight can send through the sinks, and the sinks
 * commit what they sent in the final checkpoint.
 */
public class KafkaStreamLifecycle implements SmartLifecycle, SmartInitializingSingleton {

	/**
	 * The phase of the lifecycle: below Spring Boot's
	 * {@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE}
	 * ({@code DEFAULT_PHASE - 1024}), so the pipelines and sinks stop after the web
	 * server drained its requests, and above its {@code WebServerStartStopLifecycle}
	 * ({@code DEFAULT_PHASE - 2048}), which stops the web server.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

	private final Supplier<KafkaStreamRuntime> runtimeFactory;

	private final Duration shutdownTimeout;

	private final boolean autoStartup;

	private final @Nullable Consumer<KafkaStreamRuntime> startChecks;

	private volatile @Nullable KafkaStreamRuntime runtime;

	KafkaStreamLifecycle(Supplier<KafkaStreamRuntime> runtimeFactory, Duration shutdownTimeout, boolean autoStartup) {
		this(runtimeFactory, shutdownTimeout, autoStartup, null);
	}

	KafkaStreamLifecycle(Supplier<KafkaStreamRuntime> runtimeFactory, Duration shutdownTimeout, boolean autoStartup,
			@Nullable Consumer<KafkaStreamRuntime> startChecks) {
		this.runtimeFactory = runtimeFactory;
		this.shutdownTimeout = shutdownTimeout;
		this.autoStartup = autoStartup;
		this.startChecks = startChecks;
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

	/**
	 * Starts the pipelines and runs the start-up checks against the brokers while the
	 * workers connect, join their groups and position their partitions, which saves the
	 * checks' round trips from the start-up time. The workers hold processing (with their
	 * partitions paused, committing nothing) until the checks are done: a check that
	 * fails stops the pipelines before any record was processed or any offset committed,
	 * and the failure ends the start-up. Without checks the pipelines simply start.
	 */
	@Override
	public void start() {
		KafkaStreamRuntime runtime = getRuntime();
		Consumer<KafkaStreamRuntime> startChecks = this.startChecks;
		if (startChecks == null || runtime.isRunning()) {
			runtime.start();
			return;
		}
		runtime.startHeld();
		try {
			startChecks.accept(runtime);
		}
		catch (RuntimeException | Error ex) {
			runtime.stop(this.shutdownTimeout);
			throw ex;
		}
		runtime.release();
	}

	@Override
	public void stop() {
		KafkaStreamRuntime runtime = this.runtime;
		if (runtime != null) {
			runtime.stop(this.shutdownTimeout);
		}
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public boolean isRunning() {
		KafkaStreamRuntime runtime = this.runtime;
		return runtime != null && runtime.isRunning();
	}

}
