package dev.kafkastream.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.kafkastream.core.NonRetryableException;
import dev.kafkastream.runtime.CorruptRecordException;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.runtime.RecordProcessingException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaStreamHealthRules}.
 */
class KafkaStreamHealthRulesTests {

	private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

	private static final Instant STARTED = NOW.minusSeconds(600);

	private static final Duration MAX_AGE = Duration.ofSeconds(90);

	private final KafkaStreamHealthRules rules = new KafkaStreamHealthRules(
			new KafkaStreamHealthThresholds(MAX_AGE, 2, 1_000L));

	@Test
	void unknownWithoutPipelines() {
		assertThat(health(new HealthSnapshot(true, List.of(), checkpointsCompleted(NOW))).getStatus())
			.isEqualTo(Status.UNKNOWN);
	}

	@Test
	void upWhileRunningWithRecentCheckpointsAndDetailsPerSource() {
		Health health = health(snapshot(source("orders", PipelineState.RUNNING, 12L), checkpointsCompleted(NOW.minusSeconds(2))));
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).doesNotContainKey("reasons");
		assertThat(health.getDetails().get("pipelines")).isEqualTo(Map.of("orders",
				Map.of("state", PipelineState.RUNNING, "lag", 12L, "lagStale", false, "lastCheckpointAge", "PT2S")));
	}

	@Test
	void upWhilePausedOnPurposeOrFinished() {
		assertThat(health(snapshot(source("orders", PipelineState.PAUSED, 500L), checkpointsCompleted(NOW))).getStatus())
			.isEqualTo(Status.UP);
		HealthSnapshot finished = new HealthSnapshot(true, List.of(source("orders", PipelineState.FINISHED, null)),
				checkpointsCompleted(NOW.minus(Duration.ofHours(1))));
		assertThat(health(finished).getStatus()).as("a finished source takes no checkpoints").isEqualTo(Status.UP);
	}

	@Test
	void downWhenASourceFailedWithItsFailure() {
		HealthSnapshot snapshot = new HealthSnapshot(true,
				List.of(source("orders", PipelineState.RUNNING, 0L),
						failed("payments", new IllegalStateException("poison"))),
				checkpointsCompleted(NOW));
		Health health = health(snapshot);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("pipelines").toString()).contains("payments={state=FAILED",
				"failure=payments-0: java.lang.IllegalStateException: poison");
		assertThat(health.getDetails().get("reasons")).isEqualTo(List.of("Pipeline 'payments' failed"));
	}

	@Test
	void downOnceMoreCheckpointsFailedInARowThanTolerated() {
		assertThat(health(snapshot(source("orders", PipelineState.RUNNING, 0L), checkpointsFailing(2))).getStatus())
			.isEqualTo(Status.UP);
		Health health = health(snapshot(source("orders", PipelineState.RUNNING, 0L), checkpointsFailing(3)));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("reasons"))
			.isEqualTo(List.of("3 checkpoints failed in a row, more than the 2 tolerated"));
		assertThat(health.getDetails().get("checkpoints").toString()).contains("consecutiveFailures=3",
				"lastFailure=checkpoint 9 timed out");
	}

	@Test
	void downWhenTheLastCheckpointIsOlderThanTheMaximumAge() {
		Health health = health(snapshot(source("orders", PipelineState.RUNNING, 0L),
				checkpointsCompleted(NOW.minus(MAX_AGE).minusSeconds(1))));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("reasons"))
			.isEqualTo(List.of("No checkpoint completed for PT1M31S, longer than PT1M30S"));
		assertThat(health(snapshot(source("orders", PipelineState.RUNNING, 0L), checkpointsCompleted(NOW.minus(MAX_AGE))))
			.getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void aStartGetsTheWholeAgeForItsFirstCheckpoint() {
		HealthSnapshot starting = new HealthSnapshot(true,
				List.of(source("orders", PipelineState.STARTING, null, NOW.minusSeconds(60))), noCheckpoints());
		assertThat(health(starting).getStatus()).isEqualTo(Status.UP);
		HealthSnapshot stuck = new HealthSnapshot(true,
				List.of(source("orders", PipelineState.STARTING, null, NOW.minusSeconds(91))), noCheckpoints());
		assertThat(health(stuck).getStatus()).isEqualTo(Status.DOWN);
		HealthSnapshot restarted = new HealthSnapshot(true,
				List.of(source("orders", PipelineState.RUNNING, 0L, NOW.minusSeconds(30))),
				checkpointsCompleted(NOW.minus(Duration.ofHours(2))));
		assertThat(health(restarted).getStatus()).as("a checkpoint of an earlier run does not count against a restart")
			.isEqualTo(Status.UP);
	}

	@Test
	void checkpointsAreNotJudgedWhileNoPipelineTakesAny() {
		HealthSnapshot stopped = new HealthSnapshot(false, List.of(source("orders", PipelineState.STOPPED, null)),
				checkpointsFailing(10));
		assertThat(health(stopped).getStatus()).isEqualTo(Status.UP);
		HealthSnapshot notStarted = new HealthSnapshot(false, List.of(source("orders", PipelineState.CREATED, null, null)),
				noCheckpoints());
		assertThat(health(notStarted).getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void outOfServiceWhenTheLagOfASourceIsAboveTheMaximum() {
		assertThat(health(snapshot(source("orders", PipelineState.RUNNING, 1_000L), checkpointsCompleted(NOW)))
			.getStatus()).isEqualTo(Status.UP);
		Health health = health(snapshot(source("orders", PipelineState.RUNNING, 1_001L), checkpointsCompleted(NOW)));
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails().get("reasons"))
			.isEqualTo(List.of("The lag of source 'orders' is 1001 records, more than 1000"));
	}

	@Test
	void downWinsOverOutOfService() {
		HealthSnapshot snapshot = new HealthSnapshot(true,
				List.of(source("orders", PipelineState.RUNNING, 5_000L), failed("payments", new TimeoutException("t"))),
				checkpointsCompleted(NOW));
		Health health = health(snapshot);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat((List<?>) health.getDetails().get("reasons")).hasSize(2);
	}

	@Test
	void noLagLimitByDefault() {
		KafkaStreamHealthRules unlimited = new KafkaStreamHealthRules(
				new KafkaStreamHealthThresholds(MAX_AGE, 2, null));
		Health.Builder builder = Health.unknown();
		unlimited.health(snapshot(source("orders", PipelineState.RUNNING, Long.MAX_VALUE), checkpointsCompleted(NOW)),
				NOW, builder);
		assertThat(builder.build().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void readyOnceEverySourceIsRunningPausedOrFinished() {
		assertThat(readiness(PipelineState.RUNNING, PipelineState.PAUSED, PipelineState.FINISHED).getStatus())
			.isEqualTo(Status.UP);
		Health starting = readiness(PipelineState.RUNNING, PipelineState.STARTING);
		assertThat(starting.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(starting.getDetails()).isEqualTo(Map.of("notReady", Map.of("s1", PipelineState.STARTING)));
		assertThat(readiness(PipelineState.CREATED).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(readiness(PipelineState.RUNNING, PipelineState.FAILED).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(readiness(PipelineState.STOPPED).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(readiness().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void brokenOnlyForAFailureARestartCures() {
		assertThat(liveness(new TimeoutException("Timeout of 60000ms expired before the position could be determined"))
			.getStatus()).isEqualTo(Status.DOWN);
		assertThat(liveness(new KafkaException("wrapped", new TimeoutException("t"))).getStatus()).isEqualTo(Status.DOWN);
		assertThat(liveness(new OutOfMemoryError("Java heap space")).getStatus()).isEqualTo(Status.DOWN);
		assertThat(liveness(new RecordProcessingException("The handler failed on the record", new TopicPartition("t", 0),
				7, new IllegalStateException("poison"))).getStatus()).isEqualTo(Status.UP);
		assertThat(liveness(new CorruptRecordException("value", new TopicPartition("t", 0), 7,
				new IllegalArgumentException("bad json"))).getStatus()).isEqualTo(Status.UP);
		assertThat(liveness(new NonRetryableException("Is a second instance running with kafka-stream.instance-id=a?"))
			.getStatus()).isEqualTo(Status.UP);
		assertThat(liveness(new KafkaException("Failed to construct kafka consumer", new ConfigException("bad")))
			.getStatus()).isEqualTo(Status.UP);
		assertThat(liveness(new TopicAuthorizationException("not allowed")).getStatus()).isEqualTo(Status.UP);
		assertThat(liveness(new StackOverflowError()).getStatus()).isEqualTo(Status.UP);
		HealthSnapshot running = new HealthSnapshot(true, List.of(source("orders", PipelineState.RUNNING, 0L)),
				checkpointsCompleted(NOW));
		Health.Builder builder = Health.unknown();
		KafkaStreamHealthRules.liveness(running, builder);
		assertThat(builder.build().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void brokenLivenessNamesTheFailure() {
		Health health = liveness(new TimeoutException("broker unreachable"));
		assertThat(health.getDetails()).isEqualTo(
				Map.of("failed", Map.of("orders", "orders-0: org.apache.kafka.common.errors.TimeoutException: broker unreachable")));
	}

	private Health health(HealthSnapshot snapshot) {
		Health.Builder builder = Health.unknown();
		this.rules.health(snapshot, NOW, builder);
		return builder.build();
	}

	private static Health readiness(PipelineState... states) {
		List<HealthSnapshot.Source> sources = new java.util.ArrayList<>();
		for (int i = 0; i < states.length; i++) {
			sources.add(source("s" + i, states[i], null));
		}
		Health.Builder builder = Health.unknown();
		KafkaStreamHealthRules.readiness(new HealthSnapshot(true, sources, checkpointsCompleted(NOW)), builder);
		return builder.build();
	}

	private static Health liveness(Throwable failure) {
		Health.Builder builder = Health.unknown();
		KafkaStreamHealthRules.liveness(new HealthSnapshot(true, List.of(failed("orders", failure)),
				checkpointsCompleted(NOW)), builder);
		return builder.build();
	}

	private static HealthSnapshot snapshot(HealthSnapshot.Source source, HealthSnapshot.Checkpoints checkpoints) {
		return new HealthSnapshot(true, List.of(source), checkpoints);
	}

	private static HealthSnapshot.Source source(String name, PipelineState state, @Nullable Long lag) {
		return source(name, state, lag, STARTED);
	}

	private static HealthSnapshot.Source source(String name, PipelineState state, @Nullable Long lag,
			@Nullable Instant started) {
		return new HealthSnapshot.Source(name, state, null, null, started, lag, false);
	}

	private static HealthSnapshot.Source failed(String name, Throwable failure) {
		return new HealthSnapshot.Source(name, PipelineState.FAILED, name + "-0: " + failure, failure, STARTED, null,
				false);
	}

	private static HealthSnapshot.Checkpoints checkpointsCompleted(Instant time) {
		return new HealthSnapshot.Checkpoints(5, 0, 0, 5L, time, null);
	}

	private static HealthSnapshot.Checkpoints checkpointsFailing(int inARow) {
		return new HealthSnapshot.Checkpoints(5, inARow, inARow, 5L, NOW.minusSeconds(10),
				"checkpoint 9 timed out");
	}

	private static HealthSnapshot.Checkpoints noCheckpoints() {
		return new HealthSnapshot.Checkpoints(0, 0, 0, null, null, null);
	}

}
