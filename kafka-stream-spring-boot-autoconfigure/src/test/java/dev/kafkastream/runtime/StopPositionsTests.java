package dev.kafkastream.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kafkastream.checkpoint.CheckpointMetadata;
import dev.kafkastream.checkpoint.CheckpointMetadata.Stop;
import dev.kafkastream.source.OffsetsLookup;
import dev.kafkastream.source.StoppingOffsets;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StopPositions}: which run of the group an instance joins, which stops
 * it takes from the committed offsets, and when the run is over.
 */
class StopPositionsTests {

	private static final TopicPartition P0 = new TopicPartition("t", 0);

	private static final TopicPartition P1 = new TopicPartition("t", 1);

	private static final Set<TopicPartition> BOTH = Set.of(P0, P1);

	private final EndOffsets ends = new EndOffsets(Map.of(P0, 100L, P1, 200L));

	@Test
	void aGroupWithoutStopsBeginsTheFirstRun() {
		assertThat(StopPositions.runToJoin(BOTH, Map.of())).isEqualTo(1);
		assertThat(StopPositions.runToJoin(BOTH, committed(P0, 50, null))).isEqualTo(1);
	}

	@Test
	void aRunNotOverIsJoined() {
		Map<TopicPartition, OffsetAndMetadata> committed = committed(P0, 100, new Stop(3, 100));
		// P1 has no stop of run 3 yet
		assertThat(StopPositions.runToJoin(BOTH, committed)).isEqualTo(3);
		committed.putAll(committed(P1, 150, new Stop(3, 200)));
		assertThat(StopPositions.runToJoin(BOTH, committed)).isEqualTo(3);
		committed.putAll(committed(P1, 180, new Stop(2, 180)));
		assertThat(StopPositions.runToJoin(BOTH, committed)).isEqualTo(3);
	}

	@Test
	void aRunOverIsFollowedByTheNext() {
		Map<TopicPartition, OffsetAndMetadata> committed = committed(P0, 100, new Stop(3, 100));
		committed.putAll(committed(P1, 200, new Stop(3, 200)));
		assertThat(StopPositions.runToJoin(BOTH, committed)).isEqualTo(4);
	}

	@Test
	void stopsAreResolvedForTheRunJoined() {
		StopPositions stops = new StopPositions(StoppingOffsets.latest(), true);
		stops.start(BOTH, this.ends, () -> committed(P0, 10, new Stop(3, 80)));
		assertThat(stops.run()).isEqualTo(3);
		assertThat(stops.stop(P1)).isEqualTo(new Stop(3, 200));
		assertThat(this.ends.looked).containsExactlyInAnyOrder(P0, P1);
	}

	@Test
	void stopsOfThisRunInTheCommittedOffsetsReplaceThoseResolvedHere() {
		StopPositions stops = new StopPositions(StoppingOffsets.latest(), true);
		stops.start(BOTH, this.ends, () -> committed(P0, 10, new Stop(3, 80)));
		stops.adopt(committed(P0, 10, new Stop(3, 80)));
		assertThat(stops.stop(P0)).isEqualTo(new Stop(3, 80));
		assertThat(stops.stops()).isEqualTo(Map.of(P0, 80L, P1, 200L));
	}

	@Test
	void stopsOfAnEarlierRunAreNotTaken() {
		StopPositions stops = new StopPositions(StoppingOffsets.latest(), true);
		Map<TopicPartition, OffsetAndMetadata> over = committed(P0, 40, new Stop(1, 40));
		over.putAll(committed(P1, 60, new Stop(1, 60)));
		stops.start(BOTH, this.ends, () -> over);
		assertThat(stops.run()).isEqualTo(2);
		stops.adopt(over);
		assertThat(stops.stop(P0)).isEqualTo(new Stop(2, 100));
		assertThat(stops.overtaken()).isFalse();
	}

	@Test
	void theRunIsOverWhenEveryPartitionIsCommittedAtItsStop() {
		StopPositions stops = new StopPositions(StoppingOffsets.latest(), true);
		stops.start(BOTH, this.ends, HashMap::new);
		Map<TopicPartition, OffsetAndMetadata> committed = committed(P0, 100, new Stop(1, 100));
		assertThat(stops.runOver(BOTH, committed)).isFalse();
		committed.putAll(committed(P1, 199, new Stop(1, 200)));
		assertThat(stops.runOver(BOTH, committed)).isFalse();
		committed.putAll(committed(P1, 200, new Stop(1, 200)));
		assertThat(stops.runOver(BOTH, committed)).isTrue();
		assertThat(stops.runOver(Set.of(), Map.of())).isFalse();
	}

	@Test
	void aLaterRunMeansThisOneIsOver() {
		StopPositions stops = new StopPositions(StoppingOffsets.latest(), true);
		stops.start(BOTH, this.ends, HashMap::new);
		stops.adopt(committed(P1, 0, new Stop(2, 300)));
		assertThat(stops.overtaken()).isTrue();
		assertThat(stops.runOver(BOTH, committed(P1, 0, new Stop(2, 300)))).isTrue();
	}

	@Test
	void finishedMarksAreClearedForPartitionsRolledBackOrGivenUp() {
		StopPositions stops = new StopPositions(StoppingOffsets.latest(), false);
		stops.start(BOTH, this.ends, () -> {
			throw new AssertionError("no committed offsets without sharing");
		});
		stops.finished(P0);
		stops.finished(P1);
		assertThat(stops.allFinished()).isTrue();
		stops.unfinished(List.of(P1));
		assertThat(stops.isFinished(P1)).isFalse();
		assertThat(stops.allFinished()).isFalse();
	}

	private static Map<TopicPartition, OffsetAndMetadata> committed(TopicPartition partition, long offset,
			@Nullable Stop stop) {
		Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
		committed.put(partition, new OffsetAndMetadata(offset,
				(stop != null) ? CheckpointMetadata.of(1, stop) : CheckpointMetadata.of(1)));
		return committed;
	}

	private static final class EndOffsets implements OffsetsLookup {

		private final Map<TopicPartition, Long> ends;

		final List<TopicPartition> looked = new ArrayList<>();

		EndOffsets(Map<TopicPartition, Long> ends) {
			this.ends = ends;
		}

		@Override
		public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
			this.looked.addAll(partitions);
			Map<TopicPartition, Long> offsets = new HashMap<>();
			partitions.forEach((partition) -> offsets.put(partition, this.ends.get(partition)));
			return offsets;
		}

		@Override
		public Map<TopicPartition, Long> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
			throw new UnsupportedOperationException();
		}

	}

}
