package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.checkpoint.CheckpointSettings;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.sink.KafkaStreamSink;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a set of pipelines under one checkpoint coordinator. {@link #start()} starts every
 * pipeline and the periodic checkpoints; {@link #stop(Duration)} takes a final checkpoint
 * and stops them. A stopped runtime can be started again: each pipeline reads on from its
 * checkpoint with new workers. Each sink added with {@link Builder#sink(KafkaSinkSpec)} is
 * also a {@link KafkaStreamSink} application code can send through while the runtime
 * runs.
 */
public final class KafkaStreamRuntime {

	private static final Logger logger = LoggerFactory.getLogger(KafkaStreamRuntime.class);

	/** How long a start that failed half-way waits for what it started to stop. */
	private static final Duration FAILED_START_STOP_TIMEOUT = Duration.ofSeconds(10);

	private final CheckpointCoordinator coordinator;

	private final List<Pipeline> pipelines;

	private final Map<String, StandaloneSink> sinks;

	private final @Nullable CrashedStaticMembers crashedMembers;

	private final @Nullable AbandonedTransactionFencer transactionFencer;

	private final EndOffsetsRefresher endOffsetsRefresher;

	private final List<Runnable> finishedListeners = new CopyOnWriteArrayList<>();

	private final List<PipelineStateListener> stateListeners = new CopyOnWriteArrayList<>();

	private final AtomicBoolean finishedNotified = new AtomicBoolean();

	private volatile boolean running;

	/** Whether the workers hold processing until {@link #release()}. */
	private volatile boolean held;

	/** When the last held start began, for the first checkpoint's time. */
	private long heldSinceNanos;

	private KafkaStreamRuntime(Builder builder) {
		this.coordinator = new CheckpointCoordinator(builder.checkpointSettings);
		List<Pipeline> pipelines = new ArrayList<>();
		for (PipelineSpec spec : builder.pipelines) {
			pipelines.add(new Pipeline(spec, this.coordinator, builder.clients, builder.recovery, builder.instanceId,
					this::pipelineStateChanged));
		}
		this.pipelines = List.copyOf(pipelines);
		Map<String, StandaloneSink> sinks = new LinkedHashMap<>();
		for (KafkaSinkSpec sink : builder.sinks) {
			sinks.put(sink.name(), new StandaloneSink(sink, this.coordinator, builder.clients, builder.instanceId));
		}
		this.sinks = sinks;
		this.crashedMembers = CrashedStaticMembers.of(builder.pipelines, builder.instanceId, builder.clients);
		this.endOffsetsRefresher = new EndOffsetsRefresher(this.pipelines, builder.endOffsetsRefreshInterval);
		this.transactionFencer = AbandonedTransactionFencer.of(builder.pipelines, builder.sinks, builder.instanceId,
				builder.checkpointSettings, builder.clients);
	}

	/**
	 * Registers something to run once every pipeline is finished, which only bounded
	 * sources do.
	 * @param listener the listener, called on the thread of the last worker to finish
	 */
	public void onFinished(Runnable listener) {
		this.finishedListeners.add(listener);
	}

	/**
	 * Whether every pipeline is finished.
	 * @return whether all pipelines read their bounded sources to the end
	 */
	public boolean isFinished() {
		return !this.pipelines.isEmpty()
				&& this.pipelines.stream().allMatch((pipeline) -> pipeline.state() == PipelineState.FINISHED);
	}

	/**
	 * Adds a listener told of every change of a pipeline's state.
	 * @param listener the listener
	 */
	public void addStateListener(PipelineStateListener listener) {
		this.stateListeners.add(Objects.requireNonNull(listener, "listener"));
	}

	private void pipelineStateChanged(Pipeline pipeline, PipelineState previous, PipelineState current) {
		for (PipelineStateListener listener : this.stateListeners) {
			try {
				listener.stateChanged(pipeline, previous, current);
			}
			catch (RuntimeException ex) {
				logger.warn("Pipeline state listener {} failed", listener, ex);
			}
		}
		if (current == PipelineState.FINISHED && isFinished() && this.finishedNotified.compareAndSet(false, true)) {
			logger.info("Every pipeline is finished");
			this.finishedListeners.forEach(Runnable::run);
		}
	}

	public static Builder builder() {
		return new Builder();
	}

	public List<Pipeline> pipelines() {
		return this.pipelines;
	}

	public Optional<Pipeline> pipeline(String name) {
		return this.pipelines.stream().filter((pipeline) -> pipeline.name().equals(name)).findFirst();
	}

	/**
	 * The sink of the given name that application code can send through.
	 * @param name the name of the sink
	 * @return the sink, empty if the runtime has no sink of that name
	 */
	public Optional<KafkaStreamSink> sink(String name) {
		return Optional.ofNullable(this.sinks.get(name));
	}

	/**
	 * The names of the sinks application code can send through.
	 * @return the names
	 */
	public List<String> sinkNames() {
		return List.copyOf(this.sinks.keySet());
	}

	/**
	 * The transactions with this application's transactional ids that other instances, or
	 * workers no longer running, have kept open for longer than a checkpoint interval,
	 * blocking {@code read_committed} readers until this instance aborts them; as found at
	 * most a quarter of a checkpoint cycle ago.
	 * @return the transactions, empty without exactly-once sinks
	 */
	public List<LingeringTransaction> lingeringTransactions() {
		return (this.transactionFencer != null) ? this.transactionFencer.lingering() : List.of();
	}

	public CheckpointCoordinator checkpoints() {
		return this.coordinator;
	}

	/**
	 * Triggers a checkpoint now, after the one in progress if there is one.
	 * @return the checkpoint, completed when every worker and sink acknowledged it or it
	 * failed; {@code null} when nothing takes part in checkpoints
	 * @throws PipelineOperationException if the runtime is not running
	 */
	public CompletableFuture<@Nullable CheckpointRecord> triggerCheckpoint() {
		if (!this.running) {
			throw new PipelineOperationException("No checkpoint can be taken: the pipelines are not running");
		}
		if (this.held) {
			throw new PipelineOperationException(
					"No checkpoint can be taken: the pipelines wait for the start-up checks");
		}
		return this.coordinator.trigger();
	}

	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Whether it runs held: started with {@link #startHeld()} and not released yet.
	 * @return whether the workers hold processing
	 */
	public boolean isHeld() {
		return this.running && this.held;
	}

	/**
	 * Starts the sinks, every pipeline and the periodic checkpoints; after a
	 * {@link #stop(Duration)}, starts them again. Nothing starts while a worker of the
	 * last run is still running (it did not stop within the shutdown timeout).
	 * @throws IllegalStateException if a worker of the last run is still running
	 */
	public synchronized void start() {
		start(false);
	}

	/**
	 * Starts like {@link #start()}, but holds processing until {@link #release()}: the
	 * workers connect, join their groups and position their partitions, all paused, and
	 * neither process a record nor commit an offset; no checkpoint is taken. A runtime
	 * stopped before it was released takes no final checkpoint. This lets checks run
	 * while the workers join, with nothing processed before they pass.
	 * @throws IllegalStateException if a worker of the last run is still running
	 */
	public synchronized void startHeld() {
		start(true);
	}

	/**
	 * Lets the workers of a runtime started with {@link #startHeld()} process their
	 * partitions, and starts the periodic checkpoints. Does nothing otherwise.
	 */
	public synchronized void release() {
		if (!this.running || !this.held) {
			return;
		}
		this.held = false;
		this.pipelines.forEach(Pipeline::release);
		this.coordinator.start(firstCheckpointDelay(this.coordinator.settings().interval(),
				Duration.ofNanos(System.nanoTime() - this.heldSinceNanos)));
	}

	/**
	 * When the first checkpoint after a held start comes: an interval after the start, as
	 * without the hold, but no sooner than a quarter of an interval after the release, so
	 * that it carries what the workers processed instead of nothing (the workers may have
	 * been held for longer than an interval, joining while the application started).
	 */
	static Duration firstCheckpointDelay(Duration interval, Duration held) {
		Duration quarter = interval.dividedBy(4);
		Duration rest = interval.minus(held);
		return (rest.compareTo(quarter) > 0) ? rest : quarter;
	}

	private void start(boolean held) {
		if (this.running) {
			return;
		}
		this.pipelines.forEach(Pipeline::assertStopped);
		this.finishedNotified.set(false);
		this.running = true;
		this.held = held;
		this.heldSinceNanos = System.nanoTime();
		try {
			if (this.crashedMembers != null) {
				this.crashedMembers.remove();
			}
			this.sinks.values().forEach(StandaloneSink::start);
			this.pipelines.forEach((pipeline) -> pipeline.start(held));
			if (!held) {
				this.coordinator.start();
			}
			if (this.transactionFencer != null) {
				this.transactionFencer.start();
			}
			this.endOffsetsRefresher.start();
		}
		catch (RuntimeException | Error ex) {
			stop(FAILED_START_STOP_TIMEOUT);
			throw ex;
		}
	}

	/**
	 * Stops periodic checkpoints, takes a final checkpoint of everything processed so far,
	 * stops every pipeline and closes the sinks, all within the timeout: what is left of it
	 * after the final checkpoint goes to the workers and the sinks. A worker that does not
	 * stop in time is left running, and {@link #start()} refuses to start until it ended.
	 * @param timeout how long the whole stop may take
	 * @return the final checkpoint, if one was taken
	 */
	public synchronized Optional<CheckpointRecord> stop(Duration timeout) {
		if (!this.running) {
			return Optional.empty();
		}
		this.running = false;
		long deadline = System.nanoTime() + nanos(timeout);
		if (this.transactionFencer != null) {
			this.transactionFencer.stop();
		}
		this.endOffsetsRefresher.stop();
		this.coordinator.stop();
		// held workers processed nothing: there is nothing to checkpoint
		CheckpointRecord last = this.held ? null : finalCheckpoint(deadline, timeout);
		this.held = false;
		this.pipelines.forEach(Pipeline::requestStop);
		this.sinks.values().forEach((sink) -> sink.close(remaining(deadline)));
		this.pipelines.forEach((pipeline) -> pipeline.stop(deadline));
		this.coordinator.close();
		return Optional.ofNullable(last);
	}

	private static long nanos(Duration duration) {
		try {
			return Math.max(0, duration.toNanos());
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE / 2;
		}
	}

	private static Duration remaining(long deadline) {
		return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
	}

	private @Nullable CheckpointRecord finalCheckpoint(long deadline, Duration timeout) {
		try {
			CheckpointRecord record = this.coordinator.triggerFinal()
				.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			if (record != null) {
				logger.info("Final checkpoint {} {}", record.id(), record.state());
			}
			return record;
		}
		catch (TimeoutException ex) {
			logger.warn("The final checkpoint did not complete within kafka-stream.shutdown-timeout ({})", timeout);
		}
		catch (ExecutionException ex) {
			logger.warn("The final checkpoint failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return null;
	}

	/**
	 * Builder of {@link KafkaStreamRuntime}.
	 */
	public static final class Builder {

		private final List<PipelineSpec> pipelines = new ArrayList<>();

		private final List<KafkaSinkSpec> sinks = new ArrayList<>();

		private CheckpointSettings checkpointSettings = CheckpointSettings.ofInterval(Duration.ofSeconds(1));

		private RecoverySettings recovery = RecoverySettings.defaults();

		private KafkaClients clients = KafkaClients.standard();

		private String instanceId = "default";

		private Duration endOffsetsRefreshInterval = Duration.ofSeconds(5);

		private Builder() {
		}

		public Builder pipeline(PipelineSpec pipeline) {
			this.pipelines.add(Objects.requireNonNull(pipeline, "pipeline"));
			return this;
		}

		/**
		 * Adds a sink application code can send through, with a producer of its own that
		 * takes part in checkpoints.
		 * @param sink the sink
		 * @return this builder
		 */
		public Builder sink(KafkaSinkSpec sink) {
			this.sinks.add(Objects.requireNonNull(sink, "sink"));
			return this;
		}

		public Builder checkpointSettings(CheckpointSettings checkpointSettings) {
			this.checkpointSettings = Objects.requireNonNull(checkpointSettings, "checkpointSettings");
			return this;
		}

		public Builder recovery(RecoverySettings recovery) {
			this.recovery = Objects.requireNonNull(recovery, "recovery");
			return this;
		}

		public Builder clients(KafkaClients clients) {
			this.clients = Objects.requireNonNull(clients, "clients");
			return this;
		}

		/**
		 * Sets the id of this application instance, part of every transactional id. It must
		 * be the same at every start of the instance and differ between instances.
		 * @param instanceId the instance id
		 * @return this builder
		 */
		public Builder instanceId(String instanceId) {
			this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
			return this;
		}

		/**
		 * Sets how often the end offsets of the pipelines' partitions are looked up in the
		 * background, for lag. Defaults to 5 seconds.
		 * @param interval the interval, {@link Duration#ZERO} to never look them up
		 * @return this builder
		 */
		public Builder endOffsetsRefreshInterval(Duration interval) {
			if (Objects.requireNonNull(interval, "interval").isNegative()) {
				throw new IllegalArgumentException("The end offsets refresh interval must not be negative");
			}
			this.endOffsetsRefreshInterval = interval;
			return this;
		}

		public KafkaStreamRuntime build() {
			return new KafkaStreamRuntime(this);
		}

	}

}
