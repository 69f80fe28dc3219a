package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.source.StoppingOffsets;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running pipeline: {@code concurrency} workers reading one source, each on its own
 * thread.
 */
public final class Pipeline {

	private static final Logger logger = LoggerFactory.getLogger(Pipeline.class);

	private final PipelineSpec spec;

	private final List<Worker> workers = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private volatile PipelineState state = PipelineState.CREATED;

	private volatile @Nullable String failure;

	private final @Nullable StopPositions stopPositions;

	private final Runnable stateListener;

	private int stoppedWorkers;

	private int finishedWorkers;

	Pipeline(PipelineSpec spec, CheckpointCoordinator coordinator, KafkaClients clients, RecoverySettings recovery,
			String instanceId, Runnable stateListener) {
		this.spec = spec;
		StoppingOffsets stoppingOffsets = spec.source().stoppingOffsets();
		this.stopPositions = (stoppingOffsets != null)
				? new StopPositions(stoppingOffsets, spec.source().commitOffsets()) : null;
		this.stateListener = stateListener;
		for (int i = 0; i < spec.source().concurrency(); i++) {
			this.workers.add(new Worker(this, i, coordinator, clients, recovery, instanceId));
		}
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

	public List<WorkerStatus> workers() {
		return this.workers.stream().map(Worker::status).toList();
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

	synchronized void start() {
		if (this.state != PipelineState.CREATED) {
			return;
		}
		this.state = PipelineState.RUNNING;
		for (Worker worker : this.workers) {
			Thread thread = new Thread(worker, worker.name());
			this.threads.add(thread);
			thread.start();
		}
		logger.info("Pipeline '{}' started with {} worker(s), {}", name(), this.workers.size(),
				this.spec.deliveryGuarantee());
	}

	/**
	 * Stops the workers and waits for their threads to end.
	 * @param timeout how long to wait for each thread
	 */
	void stop(Duration timeout) {
		this.workers.forEach(Worker::stop);
		join(timeout);
		synchronized (this) {
			if (this.state == PipelineState.RUNNING) {
				this.state = PipelineState.STOPPED;
			}
		}
		logger.info("Pipeline '{}' {}", name(), this.state.name().toLowerCase(Locale.ROOT));
	}

	private void join(Duration timeout) {
		for (Thread thread : this.threads) {
			try {
				thread.join(timeout.toMillis());
				if (thread.isAlive()) {
					logger.warn("{} did not stop within {}", thread.getName(), timeout);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	void workerFailed(Worker worker, Throwable cause) {
		synchronized (this) {
			if (this.state != PipelineState.RUNNING) {
				return;
			}
			this.state = PipelineState.FAILED;
			this.failure = worker.name() + ": " + cause;
		}
		logger.error("Pipeline '{}' failed: {}", name(), this.failure);
		this.workers.forEach(Worker::stop);
		this.stateListener.run();
	}

	/**
	 * Called by each worker as its thread ends.
	 * @param worker the worker
	 * @param finished whether it stopped because the bounded source is finished
	 */
	void workerStopped(Worker worker, boolean finished) {
		synchronized (this) {
			this.stoppedWorkers++;
			if (finished) {
				this.finishedWorkers++;
			}
			if (this.stoppedWorkers < this.workers.size() || this.state != PipelineState.RUNNING
					|| this.finishedWorkers == 0) {
				return;
			}
			this.state = PipelineState.FINISHED;
		}
		logger.info("Pipeline '{}' finished: every partition reached its stopping offset", name());
		this.stateListener.run();
	}

}
