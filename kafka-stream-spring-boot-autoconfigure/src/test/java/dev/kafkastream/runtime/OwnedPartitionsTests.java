package dev.kafkastream.runtime;

import java.util.Map;

import dev.kafkastream.checkpoint.CheckpointMetadata;
import dev.kafkastream.checkpoint.CheckpointMetadata.Stop;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OwnedPartitions}.
 */
class OwnedPartitionsTests {

	private static final TopicPartition P0 = new TopicPartition("t", 0);

	private final OwnedPartitions owned = new OwnedPartitions();

	@Test
	void onlyMovedPartitionsAreCommittedWithoutStops() {
		this.owned.start(P0, 10);
		assertThat(this.owned.uncommitted(1)).isEmpty();
		this.owned.advance(P0, 12);
		assertThat(this.owned.uncommitted(2))
			.isEqualTo(Map.of(P0, new OffsetAndMetadata(12, CheckpointMetadata.of(2))));
	}

	@Test
	void aStopNotCommittedYetIsCommittedEvenWithoutProgress() {
		Stop stop = new Stop(1, 50);
		this.owned.start(P0, 10);
		Map<TopicPartition, OffsetAndMetadata> offsets = this.owned.uncommitted(3, (partition) -> stop);
		assertThat(offsets).isEqualTo(Map.of(P0, new OffsetAndMetadata(10, CheckpointMetadata.of(3, stop))));
		assertThat(this.owned.markCommitted(offsets)).as("moved").isFalse();
		assertThat(this.owned.uncommitted(4, (partition) -> stop)).isEmpty();
		this.owned.advance(P0, 11);
		offsets = this.owned.uncommitted(5, (partition) -> stop);
		assertThat(offsets).isEqualTo(Map.of(P0, new OffsetAndMetadata(11, CheckpointMetadata.of(5, stop))));
		assertThat(this.owned.markCommitted(offsets)).as("moved").isTrue();
	}

}
