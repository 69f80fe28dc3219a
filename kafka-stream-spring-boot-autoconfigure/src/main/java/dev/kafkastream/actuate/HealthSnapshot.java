package dev.kafkastream.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.runtime.EndOffsets;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.runtime.WorkerStatus;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * What the health indicators judge, read from state the runtime keeps in memory: the
 * pipelines' states, their workers' positions, the end offsets looked up in the
 * background and the checkpoint counts. Taking it does no I/O and never waits on a worker
 * or on the broker.
 *
 * @param running whether the runtime runs
 * @param sources one per pipeline
 * @param checkpoints the checkpoints of the runtime
 */
record HealthSnapshot(boolean running, List<Source> sources, Checkpoints checkpoints) {

	/**
	 * Takes a snapshot with the lag of every active source.
	 * @param runtime the runtime
	 * @param now the time now
	 * @return the snapshot
	 */
	static HealthSnapshot of(KafkaStreamRuntime runtime, Instant now) {
		List<Source> sources = runtime.pipelines().stream().map((pipeline) -> Source.of(pipeline, now)).toList();
		return new HealthSnapshot(runtime.isRunning(), sources, Checkpoints.of(runtime.checkpoints()));
	}

	/**
	 * Takes a snapshot of the sources' states and failures only, for the probes.
	 * @param runtime the runtime
	 * @return the snapshot, without lag or checkpoints
	 */
	static HealthSnapshot ofStates(KafkaStreamRuntime runtime) {
		List<Source> sources = runtime.pipelines().stream()
			.map((pipeline) -> new Source(pipeline.name(), pipeline.state(), pipeline.failure(), pipeline.failureCause(),
					pipeline.startTime(), null, false))
			.toList();
		return new HealthSnapshot(runtime.isRunning(), sources, new Checkpoints(0, 0, 0, null, null, null));
	}

	/**
	 * One pipeline, named after its source.
	 *
	 * @param name the source's name
	 * @param state the pipeline's state
	 * @param failure why it failed, {@code null} unless it did
	 * @param failureCause the failure itself, {@code null} unless it failed
	 * @param startTime when its current run started, {@code null} before
	 * @param lag records still to be read in the partitions of this instance, {@code null}
	 * when unknown or when the pipeline is not active
	 * @param lagStale whether the end offsets behind the lag were not looked up recently
	 */
	record Source(String name, PipelineState state, @Nullable String failure, @Nullable Throwable failureCause,
			@Nullable Instant startTime, @Nullable Long lag, boolean lagStale) {

		static Source of(Pipeline pipeline, Instant now) {
			PipelineState state = pipeline.state();
			Long lag = null;
			boolean stale = false;
			if (state.isActive()) {
				EndOffsets ends = pipeline.endOffsets();
				lag = lag(pipeline.workers(), ends);
				stale = ends.isStale(now);
			}
			return new Source(pipeline.name(), state, pipeline.failure(), pipeline.failureCause(),
					pipeline.startTime(), lag, stale);
		}

		private static @Nullable Long lag(List<WorkerStatus> workers, EndOffsets ends) {
			Long total = null;
			for (Map.Entry<TopicPartition, WorkerStatus.PartitionStatus> entry : WorkerStatus.partitionsOf(workers)
				.entrySet()) {
				Long lag = ends.lag(entry.getKey(), entry.getValue().position());
				if (lag != null) {
					total = ((total != null) ? total : 0L) + lag;
				}
			}
			return total;
		}

	}

	/**
	 * The checkpoints of the runtime, shared by its pipelines.
	 *
	 * @param completed checkpoints completed since start
	 * @param failed checkpoints failed since start
	 * @param consecutiveFailures checkpoints failed since the last completed one
	 * @param lastCompletedId the id of the last completed checkpoint, {@code null} before
	 * the first
	 * @param lastCompletedTime when it completed, {@code null} before the first
	 * @param lastFailure why the last failed checkpoint failed, {@code null} if none did
	 */
	record Checkpoints(long completed, long failed, int consecutiveFailures, @Nullable Long lastCompletedId,
			@Nullable Instant lastCompletedTime, @Nullable String lastFailure) {

		static Checkpoints of(CheckpointCoordinator coordinator) {
			CheckpointCoordinator.CheckpointCounts counts = coordinator.counts();
			CheckpointRecord completed = coordinator.latestCompleted().orElse(null);
			CheckpointRecord failed = coordinator.lastFailed().orElse(null);
			Duration duration = (completed != null) ? completed.duration() : null;
			return new Checkpoints(counts.completed(), counts.failed(), counts.consecutiveFailures(),
					(completed != null) ? completed.id() : null,
					(completed != null) ? completed.triggerTime().plus((duration != null) ? duration : Duration.ZERO)
							: null,
					(failed != null) ? failed.failure() : null);
		}

	}

}
