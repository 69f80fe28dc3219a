package dev.kafkastream.checkpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CheckpointCoordinator}.
 */
class CheckpointCoordinatorTests {

	private static final TopicPartition P0 = new TopicPartition("t", 0);

	private static final TopicPartition P1 = new TopicPartition("t", 1);

	private final CheckpointCoordinator coordinator = new CheckpointCoordinator(
			new CheckpointSettings(Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO, 3));

	private final RecordingParticipant first = new RecordingParticipant();

	private final RecordingParticipant second = new RecordingParticipant();

	@Test
	void completesWhenEveryParticipantAcknowledged() {
		this.coordinator.register(this.first);
		this.coordinator.register(this.second);
		CompletableFuture<CheckpointRecord> checkpoint = this.coordinator.trigger();
		assertThat(this.first.requested).containsExactly(1L);
		assertThat(this.second.requested).containsExactly(1L);
		this.coordinator.acknowledge(1, this.first, Map.of(P0, 10L));
		assertThat(checkpoint).isNotDone();
		assertThat(this.coordinator.history()).first()
			.satisfies((record) -> assertThat(record.state()).isEqualTo(CheckpointState.IN_PROGRESS));
		this.coordinator.acknowledge(1, this.second, Map.of(P1, 20L));
		assertThat(checkpoint).isCompleted();
		CheckpointRecord record = checkpoint.join();
		assertThat(record.state()).isEqualTo(CheckpointState.COMPLETED);
		assertThat(record.offsets()).containsOnly(Map.entry(P0, 10L), Map.entry(P1, 20L));
		assertThat(this.coordinator.latestCompleted()).contains(record);
		assertThat(this.coordinator.counts().completed()).isOne();
	}

	@Test
	void declineFailsTheCheckpointAndIgnoresLaterAcknowledgements() {
		this.coordinator.register(this.first);
		this.coordinator.register(this.second);
		CompletableFuture<CheckpointRecord> checkpoint = this.coordinator.trigger();
		this.coordinator.decline(1, this.first, new IllegalStateException("commit failed"));
		this.coordinator.acknowledge(1, this.second, Map.of(P1, 20L));
		assertThat(checkpoint.join().state()).isEqualTo(CheckpointState.FAILED);
		assertThat(checkpoint.join().failure()).contains("commit failed");
		assertThat(this.coordinator.latestCompleted()).isEmpty();
		assertThat(this.coordinator.counts().failed()).isOne();
		assertThat(this.coordinator.counts().consecutiveFailures()).isOne();
	}

	@Test
	void participantThatStopsBeforeAcknowledgingFailsTheCheckpoint() {
		this.coordinator.register(this.first);
		CompletableFuture<CheckpointRecord> checkpoint = this.coordinator.trigger();
		this.coordinator.unregister(this.first);
		assertThat(checkpoint.join().state()).isEqualTo(CheckpointState.FAILED);
	}

	@Test
	void triggerWaitsForTheCheckpointInProgressThenTakesTheNext() {
		this.coordinator.register(this.first);
		CompletableFuture<CheckpointRecord> firstCheckpoint = this.coordinator.trigger();
		CompletableFuture<CheckpointRecord> secondCheckpoint = this.coordinator.trigger();
		assertThat(this.first.requested).containsExactly(1L);
		this.coordinator.acknowledge(1, this.first, Map.of());
		assertThat(firstCheckpoint.join().id()).isEqualTo(1);
		assertThat(this.first.requested).containsExactly(1L, 2L);
		this.coordinator.acknowledge(2, this.first, Map.of());
		assertThat(secondCheckpoint.join().id()).isEqualTo(2);
	}

	@Test
	void finalCheckpointSupersedesTheOneInProgressAndIsMarkedFinal() {
		this.coordinator.register(this.first);
		this.coordinator.register(this.second);
		CompletableFuture<CheckpointRecord> periodic = this.coordinator.trigger();
		this.coordinator.acknowledge(1, this.first, Map.of(P0, 2L));
		// the second participant hangs: the final checkpoint does not wait for it
		CompletableFuture<CheckpointRecord> last = this.coordinator.triggerFinal();
		assertThat(periodic.join().state()).isEqualTo(CheckpointState.FAILED);
		assertThat(periodic.join().failure()).isEqualTo("superseded by the final checkpoint 2");
		assertThat(this.first.requested).containsExactly(1L, 2L);
		assertThat(this.first.finalCheckpoints).containsExactly(2L);
		assertThat(this.second.finalCheckpoints).containsExactly(2L);
		// an acknowledgement of the superseded checkpoint counts for nothing
		this.coordinator.acknowledge(1, this.second, Map.of(P1, 5L));
		this.coordinator.acknowledge(2, this.first, Map.of(P0, 3L));
		assertThat(last).isNotDone();
		this.coordinator.acknowledge(2, this.second, Map.of(P1, 6L));
		assertThat(last.join().state()).isEqualTo(CheckpointState.COMPLETED);
		assertThat(last.join().offsets()).containsOnly(Map.entry(P0, 3L), Map.entry(P1, 6L));
	}

	@Test
	void closeFailsTheCheckpointInProgressAndStartRunsAgain() {
		CheckpointCoordinator coordinator = new CheckpointCoordinator(
				new CheckpointSettings(Duration.ofMillis(50), Duration.ofHours(1), Duration.ZERO, 3));
		try {
			coordinator.register(this.first);
			coordinator.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.counts().inProgress() == 1);
			CheckpointRecord inProgress = coordinator.history().get(0);
			coordinator.close();
			assertThat(coordinator.history().get(0).id()).isEqualTo(inProgress.id());
			assertThat(coordinator.history().get(0).state()).isEqualTo(CheckpointState.FAILED);
			assertThat(coordinator.history().get(0).failure()).isEqualTo("the checkpoint coordinator closed");
			assertThat(coordinator.trigger().join()).as("no checkpoint once closed").isNull();
			coordinator.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.counts().inProgress() == 1);
			long next = coordinator.history().get(0).id();
			assertThat(next).isGreaterThan(inProgress.id());
			coordinator.acknowledge(next, this.first, Map.of(P0, 1L));
			assertThat(coordinator.latestCompleted()).hasValueSatisfying(
					(record) -> assertThat(record.id()).isEqualTo(next));
		}
		finally {
			coordinator.close();
		}
	}

	@Test
	void triggerWithoutParticipantsTakesNoCheckpoint() {
		assertThat(this.coordinator.trigger().join()).isNull();
		assertThat(this.coordinator.history()).isEmpty();
	}

	@Test
	void idsContinueAfterRestoredCheckpointAndHistoryIsBounded() {
		this.coordinator.restoreCheckpointId(41);
		this.coordinator.register(this.first);
		for (int i = 0; i < 5; i++) {
			this.coordinator.trigger();
			this.coordinator.acknowledge(this.first.requested.get(i), this.first, Map.of());
		}
		assertThat(this.first.requested).containsExactly(42L, 43L, 44L, 45L, 46L);
		assertThat(this.coordinator.history()).extracting(CheckpointRecord::id).containsExactly(46L, 45L, 44L);
	}

	@Test
	void checkpointIdRoundTripsThroughOffsetMetadata() {
		assertThat(CheckpointMetadata.checkpointId(CheckpointMetadata.of(7))).isEqualTo(7);
		assertThat(CheckpointMetadata.checkpointId("")).isEqualTo(-1);
		assertThat(CheckpointMetadata.checkpointId(null)).isEqualTo(-1);
		assertThat(CheckpointMetadata.checkpointId("kafka-stream:checkpoint=x")).isEqualTo(-1);
	}

	static class RecordingParticipant implements CheckpointParticipant {

		final List<Long> requested = new ArrayList<>();

		final List<Long> finalCheckpoints = new ArrayList<>();

		@Override
		public void checkpointRequested(long checkpointId, boolean finalCheckpoint) {
			this.requested.add(checkpointId);
			if (finalCheckpoint) {
				this.finalCheckpoints.add(checkpointId);
			}
		}

	}

}
