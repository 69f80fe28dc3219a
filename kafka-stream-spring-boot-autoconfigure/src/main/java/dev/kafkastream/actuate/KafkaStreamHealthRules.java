package dev.kafkastream.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kafkastream.runtime.PipelineState;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * How the health indicators judge a {@link HealthSnapshot}: the status rules of the
 * {@code kafkaStream}, {@code kafkaStreamReadiness} and {@code kafkaStreamLiveness}
 * contributors, without any I/O.
 */
final class KafkaStreamHealthRules {

	private final KafkaStreamHealthThresholds thresholds;

	KafkaStreamHealthRules(KafkaStreamHealthThresholds thresholds) {
		this.thresholds = thresholds;
	}

	/**
	 * The health of the pipelines: {@code UNKNOWN} without any; {@code DOWN} when one
	 * failed, when more checkpoints failed in a row than tolerated, or when no checkpoint
	 * completed for longer than the maximum age while a pipeline is active;
	 * {@code OUT_OF_SERVICE} when the lag of an active source is above the maximum;
	 * {@code UP} otherwise, paused and finished sources included.
	 * @param snapshot the state of the runtime
	 * @param now the time now
	 * @param builder the builder to fill
	 */
	void health(HealthSnapshot snapshot, Instant now, Health.Builder builder) {
		if (snapshot.sources().isEmpty()) {
			builder.unknown();
			return;
		}
		List<String> downReasons = new ArrayList<>();
		List<String> outOfServiceReasons = new ArrayList<>();
		Duration checkpointAge = checkpointAge(snapshot, now);
		Map<String, Object> pipelines = new LinkedHashMap<>();
		for (HealthSnapshot.Source source : snapshot.sources()) {
			pipelines.put(source.name(), details(source, snapshot, now));
			if (source.state() == PipelineState.FAILED) {
				downReasons.add("Pipeline '" + source.name() + "' failed");
			}
			Long maxLag = this.thresholds.maxLag();
			if (maxLag != null && source.lag() != null && source.lag() > maxLag) {
				outOfServiceReasons.add("The lag of source '" + source.name() + "' is " + source.lag()
						+ " records, more than " + maxLag);
			}
		}
		HealthSnapshot.Checkpoints checkpoints = snapshot.checkpoints();
		boolean checkpointing = isCheckpointing(snapshot);
		if (checkpointing && checkpoints.consecutiveFailures() > this.thresholds.toleratedCheckpointFailures()) {
			downReasons.add(checkpoints.consecutiveFailures() + " checkpoints failed in a row, more than the "
					+ this.thresholds.toleratedCheckpointFailures() + " tolerated");
		}
		if (checkpointAge != null && checkpointAge.compareTo(this.thresholds.maxCheckpointAge()) > 0) {
			downReasons.add("No checkpoint completed for " + checkpointAge + ", longer than "
					+ this.thresholds.maxCheckpointAge());
		}
		Status status = !downReasons.isEmpty() ? Status.DOWN
				: !outOfServiceReasons.isEmpty() ? Status.OUT_OF_SERVICE : Status.UP;
		builder.status(status).withDetail("running", snapshot.running()).withDetail("pipelines", pipelines);
		builder.withDetail("checkpoints", checkpointDetails(checkpoints, now));
		List<String> reasons = new ArrayList<>(downReasons);
		reasons.addAll(outOfServiceReasons);
		if (!reasons.isEmpty()) {
			builder.withDetail("reasons", reasons);
		}
	}

	/**
	 * Whether the runtime takes checkpoints for a pipeline: it runs, and a pipeline is
	 * starting, running or paused (a paused pipeline keeps taking checkpoints). Finished,
	 * stopped and failed pipelines take none.
	 * @param snapshot the state of the runtime
	 * @return whether checkpoints are expected to complete
	 */
	private static boolean isCheckpointing(HealthSnapshot snapshot) {
		return snapshot.running() && snapshot.sources().stream().anyMatch((source) -> source.state().isActive());
	}

	/**
	 * How long no checkpoint completed while the runtime took checkpoints: since the
	 * later of the last completed checkpoint and the start of the active pipelines, so
	 * that a start gets the whole age to complete its first checkpoint.
	 * @param snapshot the state of the runtime
	 * @param now the time now
	 * @return the age, {@code null} when no checkpoint is expected
	 */
	private static @Nullable Duration checkpointAge(HealthSnapshot snapshot, Instant now) {
		if (!isCheckpointing(snapshot)) {
			return null;
		}
		Instant since = snapshot.checkpoints().lastCompletedTime();
		for (HealthSnapshot.Source source : snapshot.sources()) {
			Instant started = source.startTime();
			if (source.state().isActive() && started != null && (since == null || started.isAfter(since))) {
				since = started;
			}
		}
		return (since != null) ? Duration.between(since, now) : null;
	}

	private static Map<String, Object> details(HealthSnapshot.Source source, HealthSnapshot snapshot, Instant now) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", source.state());
		if (source.state().isActive()) {
			if (source.lag() != null) {
				details.put("lag", source.lag());
			}
			details.put("lagStale", source.lagStale());
			Instant lastCheckpoint = snapshot.checkpoints().lastCompletedTime();
			if (lastCheckpoint != null) {
				// every active pipeline's workers take part in every checkpoint
				details.put("lastCheckpointAge", Duration.between(lastCheckpoint, now).toString());
			}
		}
		if (source.failure() != null) {
			details.put("failure", source.failure());
		}
		return details;
	}

	private Map<String, Object> checkpointDetails(HealthSnapshot.Checkpoints checkpoints, Instant now) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("completed", checkpoints.completed());
		details.put("failed", checkpoints.failed());
		details.put("consecutiveFailures", checkpoints.consecutiveFailures());
		details.put("toleratedFailures", this.thresholds.toleratedCheckpointFailures());
		if (checkpoints.lastCompletedId() != null && checkpoints.lastCompletedTime() != null) {
			details.put("lastCompleted", Map.of("id", checkpoints.lastCompletedId(), "age",
					Duration.between(checkpoints.lastCompletedTime(), now).toString()));
		}
		if (checkpoints.lastFailure() != null) {
			details.put("lastFailure", checkpoints.lastFailure());
		}
		return details;
	}

	/**
	 * Whether the pipelines are ready: {@code OUT_OF_SERVICE} until every pipeline joined
	 * its group and positioned the partitions it was given ({@code RUNNING}), and again
	 * once one failed or stopped; {@code UP} while running, paused or finished, and
	 * without any pipeline.
	 * @param snapshot the state of the runtime
	 * @param builder the builder to fill
	 */
	static void readiness(HealthSnapshot snapshot, Health.Builder builder) {
		Map<String, Object> notReady = new LinkedHashMap<>();
		for (HealthSnapshot.Source source : snapshot.sources()) {
			if (!isReady(source.state())) {
				notReady.put(source.name(), source.state());
			}
		}
		builder.status(notReady.isEmpty() ? Status.UP : Status.OUT_OF_SERVICE);
		if (!notReady.isEmpty()) {
			builder.withDetail("notReady", notReady);
		}
	}

	private static boolean isReady(PipelineState state) {
		return state == PipelineState.RUNNING || state == PipelineState.PAUSED || state == PipelineState.FINISHED;
	}

	/**
	 * Whether the application is live: {@code DOWN} when a pipeline failed with a failure
	 * a restart of the application can cure (see {@link RestartCurableFailures}),
	 * {@code UP} otherwise.
	 * @param snapshot the state of the runtime
	 * @param builder the builder to fill
	 */
	static void liveness(HealthSnapshot snapshot, Health.Builder builder) {
		Map<String, Object> broken = new LinkedHashMap<>();
		for (HealthSnapshot.Source source : snapshot.sources()) {
			if (source.state() == PipelineState.FAILED && RestartCurableFailures.isCurable(source.failureCause())) {
				broken.put(source.name(), String.valueOf(source.failure()));
			}
		}
		builder.status(broken.isEmpty() ? Status.UP : Status.DOWN);
		if (!broken.isEmpty()) {
			builder.withDetail("failed", broken);
		}
	}

}
