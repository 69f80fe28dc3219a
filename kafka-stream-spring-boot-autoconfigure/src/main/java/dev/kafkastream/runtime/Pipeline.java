package dev.kafkastream.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.source.StoppingOffsets;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running pipeline: {@code concurrency} workers reading one source, each on its own
 * thread. Each start after the first is a new run, with new workers that read on from
 * the committed offsets, as a restarted application would.
 */
public final class Pipeline {

	private static final Logger logger = LoggerFactory.getLogger(Pipeline.class);

	private final PipelineSpec spec;

	private final CheckpointCoordinator coordinator;

	private final KafkaClients clients;

	private final RecoverySettings recovery;

	private final String instanceId;

	/** Whether the workers hold processing until {@link #release()}. */
	private volatile boolean held;

	/** The workers of the current (or last) run. */
	private volatile List<Worker> workers;

	/** The threads of the current (or last) run. */
	private final List<Thread> threads = new ArrayList<>();

	private volatile PipelineState state = PipelineState.CREATED;

	private volatile @Nullable String failure;

	private volatile @Nullable Throwable failureCause;

	private volatile @Nullable Instant startTime;

	private volatile @Nullable StopPositions stopPositions;

	private final PipelineStateListener stateListener;

	private final EndOffsetsLookup endOffsets;

	private int stoppedWorkers;

	private int finishedWorkers;

	/** Whether the current run was asked to drain: it ends STOPPED after a last checkpoint. */
	private boolean draining;

	/** Completed once every worker of the current run stopped. */
	private CompletableFuture<Void> stopped = new CompletableFuture<>();

	Pipeline(PipelineSpec spec, CheckpointCoordinator coordinator, KafkaClients clients, RecoverySettings recovery,
			String instanceId, PipelineStateListener stateListener) {
		this.spec = spec;
		this.coordinator = coordinator;
		this.clients = clients;
		this.recovery = recovery;
		this.instanceId = instanceId;
		this.stateListener = stateListener;
		this.endOffsets = new EndOffsetsLookup(spec.source(), instanceId, clients);
		this.workers = newRun();
	}

	/**
	 * Creates what one run of the pipeline needs: the stop positions of a bounded source,
	 * resolved afresh, and the workers.
	 * @return the workers
	 */
	private List<Worker> newRun() {
		StoppingOffsets stoppingOffsets = this.spec.source().stoppingOffsets();
		this.stopPositions = (stoppingOffsets != null)
				? new StopPositions(stoppingOffsets, this.spec.source().commitOffsets()) : null;
		List<Worker> workers = new ArrayList<>();
		for (int i = 0; i < this.spec.source().concurrency(); i++) {
			workers.add(new Worker(this, i, this.coordinator, this.clients, this.recovery, this.instanceId));
		}
		return List.copyOf(workers);
	}

	public String name() {
		return this.spec.name();
	}

	public PipelineSpec spec() {
		return this.spec;
	}

	public PipelineState state() {
		return this.state;
	}

	/**
	 * Why the pipeline failed.
	 * @return the failure, or {@code null} unless the state is {@link PipelineState#FAILED}
	 */
	public @Nullable String failure() {
		return this.failure;
	}

	/**
	 * The failure that made the pipeline fail, to tell what kind of failure it was.
	 * @return the failure, or {@code null} unless the state is {@link PipelineState#FAILED}
	 */
	public @Nullable Throwable failureCause() {
		return this.failureCause;
	}

	/**
	 * When the current (or last) run of the pipeline started.
	 * @return the time, {@code null} before the first start
	 */
	public @Nullable Instant startTime() {
		return this.startTime;
	}

	public List<WorkerStatus> workers() {
		return this.workers.stream().map(Worker::status).toList();
	}

	/**
	 * The transactional ids of its workers' exactly-once producers, one per worker.
	 * @return the ids, empty unless the pipeline is exactly-once
	 */
	public List<String> transactionalIds() {
		KafkaSinkSpec sink = this.spec.producerSink();
		String prefix = (sink != null) ? sink.transactionalIdPrefix() : null;
		if (this.spec.deliveryGuarantee() != DeliveryGuarantee.EXACTLY_ONCE || prefix == null) {
			return List.of();
		}
		List<String> ids = new ArrayList<>();
		for (int worker = 0; worker < this.spec.source().concurrency(); worker++) {
			ids.add(WorkerTransactionalIds.of(prefix, this.instanceId, this.spec.source(), worker));
		}
		return ids;
	}

	/**
	 * The client ids of the producers its workers write to the sinks with, one per
	 * worker, so that their metrics (such as the send time) can be told apart.
	 * @return the client ids, empty for a pipeline without a sink
	 */
	public List<String> sinkProducerClientIds() {
		return (this.spec.producerSink() != null) ? this.workers.stream().map(Worker::sinkProducerClientId).toList()
				: List.of();
	}

	/**
	 * The end offsets of the partitions its workers were given, as last looked up in the
	 * background (see {@link KafkaStreamRuntime.Builder#endOffsetsRefreshInterval}).
	 * @return the end offsets, never waiting on the broker
	 */
	public EndOffsets endOffsets() {
		return this.endOffsets.latest();
	}

	void refreshEndOffsets(Duration timeout, Duration maxAge) {
		Set<TopicPartition> partitions = new HashSet<>();
		for (Worker worker : this.workers) {
			partitions.addAll(worker.assignedPartitions());
		}
		this.endOffsets.refresh(partitions, timeout, maxAge);
	}

	void closeEndOffsets() {
		this.endOffsets.close();
	}

	/**
	 * The stop offsets of the partitions, for a source with stopping offsets.
	 * @return the stop offsets fixed so far, empty without stopping offsets
	 */
	public Map<TopicPartition, Long> stoppingOffsets() {
		return (this.stopPositions != null) ? this.stopPositions.stops() : Map.of();
	}

	@Nullable StopPositions stopPositions() {
		return this.stopPositions;
	}

	/**
	 * Starts the workers, each on a new thread, holding processing until
	 * {@link #release()} if asked to. A pipeline that ran before (stopped, finished or
	 * failed) starts a new run with new workers.
	 * @param held whether the workers hold processing: they join their groups and
	 * position their partitions, all paused, and commit nothing
	 * @throws IllegalStateException if a worker of the last run is still running
	 */
	void start(boolean held) {
		synchronized (this) {
			PipelineState previous = this.state;
			if (previous.isActive()) {
				return;
			}
			assertStopped();
			if (previous != PipelineState.CREATED) {
				this.workers = newRun();
				this.threads.clear();
				this.stoppedWorkers = 0;
				this.finishedWorkers = 0;
				this.failure = null;
				this.draining = false;
				this.stopped = new CompletableFuture<>();
				this.failureCause = null;
			}
			this.startTime = Instant.now();
			this.held = held;
			this.state = PipelineState.STARTING;
			logger.info("Pipeline '{}' starts {} worker(s), {}", name(), this.workers.size(),
					this.spec.deliveryGuarantee());
			// told before any worker can make it RUNNING
			this.stateListener.stateChanged(this, previous, PipelineState.STARTING);
			for (Worker worker : this.workers) {
				Thread thread = new Thread(worker, worker.name());
				this.threads.add(thread);
				thread.start();
			}
		}
	}

	/**
	 * Lets the workers process their partitions, at their next poll.
	 */
	void release() {
		this.held = false;
	}

	/**
	 * Whether the workers hold processing, read by each worker once per poll.
	 * @return whether they hold
	 */
	boolean held() {
		return this.held;
	}

	/**
	 * Called by a worker once it joined its group and positioned the partitions it was
	 * given: the pipeline is {@link PipelineState#RUNNING} once every worker is.
	 * @param worker the worker
	 */
	void workerReady(Worker worker) {
		synchronized (this) {
			if (this.state != PipelineState.STARTING || !allReady()) {
				return;
			}
			this.state = PipelineState.RUNNING;
		}
		logger.info("Pipeline '{}' is running: every worker joined its group and positioned its partitions", name());
		this.stateListener.stateChanged(this, PipelineState.STARTING, PipelineState.RUNNING);
	}

	private boolean allReady() {
		return this.workers.stream().allMatch(Worker::isReady);
	}

	/**
	 * Pauses the pipeline: at their next poll its workers stop reading, but they stay in
	 * their group, poll with every partition paused (partitions a rebalance assigns
	 * too) and take checkpoints. The state is {@link PipelineState#PAUSED} at once.
	 * @return completed once every worker paused
	 * @throws PipelineOperationException unless the pipeline is starting or running
	 */
	public CompletableFuture<Void> pause() {
		synchronized (this) {
			requireState("paused", PipelineState.RUNNING, PipelineState.STARTING);
			changeState(PipelineState.PAUSED);
		}
		return allWorkers(Worker::pause);
	}

	/**
	 * Resumes a paused pipeline: {@link PipelineState#RUNNING}, or
	 * {@link PipelineState#STARTING} while a worker still joins its group.
	 * @return completed once every worker reads again
	 * @throws PipelineOperationException unless the pipeline is paused
	 */
	public CompletableFuture<Void> resume() {
		synchronized (this) {
			requireState("resumed", PipelineState.PAUSED);
			changeState(allReady() ? PipelineState.RUNNING : PipelineState.STARTING);
		}
		return allWorkers(Worker::resume);
	}

	/**
	 * Moves the partitions of a paused pipeline as the reset says: each worker seeks the
	 * partitions assigned to it, on its own thread, then a checkpoint commits the new
	 * positions (under exactly-once, in a transaction with
	 * {@code sendOffsetsToTransaction}). Once resumed, the pipeline reads from there. A
	 * failed checkpoint rolls the workers back to their last checkpoint: the reset is
	 * then undone where it was not committed.
	 * @param reset where to move the partitions
	 * @return the new offsets and the checkpoint that committed them
	 * @throws PipelineOperationException unless the pipeline is paused
	 */
	public CompletableFuture<OffsetReset.Result> reset(OffsetReset reset) {
		Objects.requireNonNull(reset, "reset");
		List<CompletableFuture<Map<TopicPartition, Long>>> moved;
		synchronized (this) {
			requireState("reset", PipelineState.PAUSED);
			logger.info("Pipeline '{}' resets its partitions to {}", name(), reset);
			moved = this.workers.stream().map((worker) -> worker.reset(reset)).toList();
		}
		return CompletableFuture.allOf(moved.toArray(CompletableFuture[]::new)).thenCompose((done) -> {
			Map<TopicPartition, Long> offsets = new HashMap<>();
			moved.forEach((worker) -> offsets.putAll(worker.join()));
			return this.coordinator.trigger().thenApply((checkpoint) -> new OffsetReset.Result(offsets, checkpoint));
		});
	}

	/**
	 * Drains the pipeline: its workers take one more checkpoint, which commits everything
	 * they processed, and stop; the pipeline is then {@link PipelineState#STOPPED} while
	 * the rest of the runtime runs on. A restart of the runtime starts it again.
	 * @return the checkpoint its workers took last, completed once they all stopped
	 * @throws PipelineOperationException unless the pipeline is starting, running or
	 * paused
	 */
	public CompletableFuture<@Nullable CheckpointRecord> drain() {
		CompletableFuture<Void> stopped;
		synchronized (this) {
			requireState("drained", PipelineState.RUNNING, PipelineState.STARTING, PipelineState.PAUSED);
			if (this.draining) {
				throw new PipelineOperationException("Pipeline '" + name() + "' is draining already");
			}
			this.draining = true;
			stopped = this.stopped;
		}
		logger.info("Pipeline '{}' drains: its workers stop after their next checkpoint", name());
		return allWorkers(Worker::stopAfterNextCheckpoint).thenCompose((noted) -> this.coordinator.trigger())
			.thenCombine(stopped, (checkpoint, done) -> checkpoint);
	}

	private void requireState(String operation, PipelineState... allowed) {
		boolean drainingNow = this.draining && this.state.isActive();
		if (!List.of(allowed).contains(this.state) || drainingNow) {
			String state = drainingNow ? "draining" : this.state.name();
			throw new PipelineOperationException("Pipeline '" + name() + "' is " + state + ": it can be " + operation
					+ " only when " + Arrays.stream(allowed).map(Enum::name).collect(Collectors.joining(" or ")));
		}
	}

	/**
	 * Changes the state and tells the listener. Called with the lock held.
	 * @param current the new state
	 */
	private void changeState(PipelineState current) {
		PipelineState previous = this.state;
		this.state = current;
		logger.info("Pipeline '{}' is {}", name(), current.name().toLowerCase(Locale.ROOT));
		this.stateListener.stateChanged(this, previous, current);
	}

	private CompletableFuture<Void> allWorkers(Function<Worker, CompletableFuture<Void>> operation) {
		return CompletableFuture.allOf(this.workers.stream().map(operation).toArray(CompletableFuture[]::new));
	}

	/**
	 * Checks that no worker thread of the last run is still alive, as one that did not
	 * stop within the shutdown timeout may be: a new run would share its group,
	 * transactional ids and checkpoints with it.
	 * @throws IllegalStateException if one is
	 */
	synchronized void assertStopped() {
		List<String> alive = this.threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
		if (!alive.isEmpty()) {
			throw new IllegalStateException("Pipeline '" + name() + "' cannot start: " + alive
					+ " of its last run did not stop yet (see kafka-stream.shutdown-timeout)");
		}
	}

	/**
	 * Tells every worker to stop now, without waiting: a worker that acknowledged the
	 * final checkpoint is stopping already.
	 */
	void requestStop() {
		this.workers.forEach(Worker::stop);
	}

	/**
	 * Stops the workers and waits for their threads to end, until the deadline at the
	 * latest.
	 * @param deadline the deadline, in {@link System#nanoTime()}
	 */
	void stop(long deadline) {
		requestStop();
		join(deadline);
		PipelineState previous;
		synchronized (this) {
			previous = this.state;
			if (previous.isActive()) {
				this.state = PipelineState.STOPPED;
			}
		}
		logger.info("Pipeline '{}' {}", name(), this.state.name().toLowerCase(Locale.ROOT));
		if (previous.isActive()) {
			this.stateListener.stateChanged(this, previous, PipelineState.STOPPED);
		}
	}

	private void join(long deadline) {
		List<Thread> threads;
		synchronized (this) {
			threads = List.copyOf(this.threads);
		}
		for (Thread thread : threads) {
			try {
				long remaining = deadline - System.nanoTime();
				if (remaining > 0) {
					TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
				}
				if (thread.isAlive()) {
					logger.warn("{} did not stop within kafka-stream.shutdown-timeout", thread.getName());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	void workerFailed(Worker worker, Throwable cause) {
		PipelineState previous;
		synchronized (this) {
			previous = this.state;
			if (!previous.isActive()) {
				return;
			}
			this.state = PipelineState.FAILED;
			this.failure = worker.name() + ": " + cause;
			this.failureCause = cause;
		}
		logger.error("Pipeline '{}' failed: {}", name(), this.failure);
		this.workers.forEach(Worker::stop);
		this.stateListener.stateChanged(this, previous, PipelineState.FAILED);
	}

	/**
	 * Called by each worker as its thread ends.
	 * @param worker the worker
	 * @param finished whether it stopped because the bounded source is finished
	 */
	void workerStopped(Worker worker, boolean finished) {
		PipelineState previous;
		PipelineState current;
		CompletableFuture<Void> stopped;
		synchronized (this) {
			this.stoppedWorkers++;
			if (finished) {
				this.finishedWorkers++;
			}
			previous = this.state;
			if (this.stoppedWorkers < this.workers.size()) {
				return;
			}
			stopped = this.stopped;
			current = previous;
			if (previous.isActive() && (this.finishedWorkers > 0 || this.draining)) {
				current = this.draining ? PipelineState.STOPPED : PipelineState.FINISHED;
				this.state = current;
			}
		}
		if (current != previous) {
			logger.info((current == PipelineState.STOPPED)
					? "Pipeline '{}' drained: its workers took their last checkpoint and stopped"
					: "Pipeline '{}' finished: every partition reached its stopping offset", name());
			this.stateListener.stateChanged(this, previous, current);
		}
		// completed once the state says what the last worker's end made of the pipeline
		stopped.complete(null);
	}

}
