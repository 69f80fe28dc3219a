package dev.kafkastream.autoconfigure;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.kafkastream.runtime.KafkaStreamRuntime;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;

/**
 * Owns the kafka-stream runtime in the application context: it is assembled, and the
 * configuration checked, once every singleton exists; the pipelines start when the
 * context is ready and stop with a final checkpoint when it closes. It can be stopped
 * and started again ({@code context.stop()}, {@code context.start()}).
 * <p>
 * The pipelines can also {@linkplain #startEarly(IntSupplier) start held} while the rest of
 * the context is created: their workers connect and join their groups meanwhile, and
 * process nothing until the context starts this lifecycle and the start-up checks pass.
 * <p>
 * It runs in phase {@link #PHASE}: on shutdown the web server's graceful shutdown (and
 * every lifecycle of the default phase, such as schedulers and task executors) ends
 * first, so requests and tasks still in flight can send through the sinks, and the sinks
 * commit what they sent in the final checkpoint.
 */
public class KafkaStreamLifecycle implements SmartLifecycle, SmartInitializingSingleton, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(KafkaStreamLifecycle.class);

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

	/** The handler methods there are, while the runtime started early is not started by the context yet. */
	private volatile @Nullable IntSupplier earlyHandlers;

	/** How many handler methods there were when the runtime started early. */
	private int earlyHandlerCount;

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

	/**
	 * Assembles the runtime from the handler methods that exist now and starts it held, so
	 * that its workers connect and join their groups while the rest of the context is
	 * created. Does nothing unless the pipelines start automatically and the runtime does
	 * not exist yet. When the runtime cannot be assembled yet (a handler bean does not
	 * exist yet, a property is wrong), nothing starts: the context assembles it once every
	 * singleton exists, and reports what is wrong then.
	 * @param handlers the number of handler methods found so far; a handler method found
	 * later makes the context assemble the runtime again, with it
	 */
	void startEarly(IntSupplier handlers) {
		if (!this.autoStartup || this.runtime != null) {
			return;
		}
		int count = handlers.getAsInt();
		KafkaStreamRuntime runtime;
		try {
			runtime = this.runtimeFactory.get();
			runtime.startHeld();
		}
		catch (RuntimeException ex) {
			logger.debug("The pipelines start once every bean exists: they cannot start early", ex);
			return;
		}
		this.earlyHandlerCount = count;
		this.earlyHandlers = handlers;
		this.runtime = runtime;
	}

	@Override
	public void afterSingletonsInstantiated() {
		KafkaStreamRuntime runtime = this.runtime;
		IntSupplier earlyHandlers = this.earlyHandlers;
		if (runtime != null && earlyHandlers != null && earlyHandlers.getAsInt() != this.earlyHandlerCount) {
			logger.info("A handler method was found after the pipelines started early: they start again with it");
			runtime.stop(this.shutdownTimeout);
			this.earlyHandlers = null;
			this.runtime = null;
		}
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
		boolean startedEarly = this.earlyHandlers != null && runtime.isHeld();
		this.earlyHandlers = null;
		if (!startedEarly && (startChecks == null || runtime.isRunning())) {
			runtime.start();
			return;
		}
		if (!startedEarly) {
			runtime.startHeld();
		}
		if (startChecks != null) {
			try {
				startChecks.accept(runtime);
			}
			catch (RuntimeException | Error ex) {
				runtime.stop(this.shutdownTimeout);
				throw ex;
			}
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

	/**
	 * Stops pipelines that started early in a context that failed before it started them.
	 */
	@Override
	public void destroy() {
		stop();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public boolean isRunning() {
		KafkaStreamRuntime runtime = this.runtime;
		// started early, it is not running for the context until the context starts it
		return runtime != null && runtime.isRunning() && this.earlyHandlers == null;
	}

}
