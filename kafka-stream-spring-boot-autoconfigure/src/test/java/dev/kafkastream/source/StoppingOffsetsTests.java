package dev.kafkastream.source;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@link StoppingOffsets} strategies, against a {@link FakeOffsetsLookup}.
 */
class StoppingOffsetsTests {

	private static final TopicPartition P0 = new TopicPartition("orders", 0);

	private static final TopicPartition P1 = new TopicPartition("orders", 1);

	private static final TopicPartition P2 = new TopicPartition("orders", 2);

	private final FakeOffsetsLookup lookup = new FakeOffsetsLookup().partition(P0, 5, 50)
		.partition(P1, 0, 30)
		.partition(P2, 100, 100);

	@Test
	void latestStopsAtTheEnd() {
		assertThat(StoppingOffsets.latest().stopOffsets(List.of(P0, P1, P2), this.lookup))
			.isEqualTo(Map.of(P0, 50L, P1, 30L, P2, 100L));
	}

	@Test
	void timestampStopsAtTheFirstRecordAtOrAfterItOrAtTheEnd() {
		this.lookup.record(P0, 5, 1_000).record(P0, 6, 2_000).record(P0, 7, 3_000);
		this.lookup.record(P1, 0, 1_000);
		assertThat(StoppingOffsets.timestamp(2_000).stopOffsets(List.of(P0, P1, P2), this.lookup))
			.isEqualTo(Map.of(P0, 6L, P1, 30L, P2, 100L));
		assertThat(this.lookup.timestampQueries).containsExactly(Map.of(P0, 2_000L, P1, 2_000L, P2, 2_000L));
	}

	@Test
	void specificStopsListedPartitionsAtTheirOffsets() {
		assertThat(StoppingOffsets.specific(Map.of(P0, 20L, P1, 10L)).stopOffsets(List.of(P0, P1), this.lookup))
			.isEqualTo(Map.of(P0, 20L, P1, 10L));
		assertThat(this.lookup.beginningQueries).isEmpty();
	}

	@Test
	void specificReadsNothingOfUnlistedPartitions() {
		Map<TopicPartition, Long> stops = StoppingOffsets.specific(Map.of(P0, 20L))
			.stopOffsets(List.of(P0, P1, P2), this.lookup);
		assertThat(stops).isEqualTo(Map.of(P0, 20L, P1, 0L, P2, 100L));
		// whatever a partition starts at, it is at or past its beginning, so at its stop
		Map<TopicPartition, Long> earliestStarts = StartingOffsets.earliest().startOffsets(List.of(P1, P2), this.lookup);
		earliestStarts.forEach((partition, start) -> assertThat(start).as("start of %s", partition)
			.isGreaterThanOrEqualTo(stops.get(partition)));
	}

}
