package dev.kafkastream.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kafkastream.core.NonRetryableException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the {@link StartingOffsets} strategies, against a {@link FakeOffsetsLookup}.
 */
class StartingOffsetsTests {

	private static final TopicPartition P0 = new TopicPartition("orders", 0);

	private static final TopicPartition P1 = new TopicPartition("orders", 1);

	private static final TopicPartition P2 = new TopicPartition("orders", 2);

	private final FakeOffsetsLookup lookup = new FakeOffsetsLookup().partition(P0, 5, 50)
		.partition(P1, 0, 30)
		.partition(P2, 100, 100);

	@Test
	void earliestStartsAtTheBeginning() {
		assertThat(StartingOffsets.earliest().startOffsets(List.of(P0, P1, P2), this.lookup))
			.isEqualTo(Map.of(P0, 5L, P1, 0L, P2, 100L));
	}

	@Test
	void latestStartsAtTheEnd() {
		assertThat(StartingOffsets.latest().startOffsets(List.of(P0, P1, P2), this.lookup))
			.isEqualTo(Map.of(P0, 50L, P1, 30L, P2, 100L));
	}

	@Test
	void committedStartsPartitionsWithoutCommittedOffsetAsTheResetStrategySays() {
		assertThat(StartingOffsets.committed(OffsetResetStrategy.EARLIEST).startOffsets(List.of(P0, P1), this.lookup))
			.isEqualTo(Map.of(P0, 5L, P1, 0L));
		assertThat(StartingOffsets.committed(OffsetResetStrategy.LATEST).startOffsets(List.of(P0, P1), this.lookup))
			.isEqualTo(Map.of(P0, 50L, P1, 30L));
	}

	@Test
	void committedWithResetNoneFailsNamingThePartitions() {
		StartingOffsets none = StartingOffsets.committed(OffsetResetStrategy.NONE);
		assertThatExceptionOfType(NoStartingOffsetException.class)
			.isThrownBy(() -> none.startOffsets(List.of(P0, P2), this.lookup))
			.isInstanceOf(NonRetryableException.class)
			.withMessageContaining("orders-0")
			.withMessageContaining("orders-2")
			.withMessageNotContaining("orders-1")
			.withMessageContaining("'none'");
		assertThat(this.lookup.beginningQueries).isEmpty();
		assertThat(this.lookup.endQueries).isEmpty();
	}

	@Test
	void committedWithResetNoneHasNothingToSayWithoutPartitions() {
		assertThat(StartingOffsets.committed(OffsetResetStrategy.NONE).startOffsets(List.of(), this.lookup)).isEmpty();
	}

	@Test
	void timestampStartsAtTheFirstRecordAtOrAfterIt() {
		this.lookup.record(P0, 5, 1_000).record(P0, 6, 2_000).record(P0, 7, 3_000);
		this.lookup.record(P1, 0, 1_500).record(P1, 1, 2_500);
		StartingOffsets timestamp = StartingOffsets.timestamp(2_000);
		assertThat(timestamp.startOffsets(List.of(P0, P1), this.lookup)).isEqualTo(Map.of(P0, 6L, P1, 1L));
		assertThat(this.lookup.timestampQueries).containsExactly(Map.of(P0, 2_000L, P1, 2_000L));
		assertThat(this.lookup.endQueries).isEmpty();
	}

	@Test
	void timestampFallsBackToTheEndForPartitionsWithNoRecordAtOrAfterIt() {
		this.lookup.record(P0, 5, 1_000).record(P0, 49, 9_000);
		this.lookup.record(P1, 0, 1_000).record(P1, 29, 4_000);
		StartingOffsets timestamp = StartingOffsets.timestamp(5_000);
		assertThat(timestamp.startOffsets(List.of(P0, P1, P2), this.lookup))
			.isEqualTo(Map.of(P0, 49L, P1, 30L, P2, 100L));
		assertThat(this.lookup.endQueries).hasSize(1);
		assertThat(this.lookup.endQueries.get(0)).containsExactlyInAnyOrder(P1, P2);
	}

	@Test
	void timestampLaterThanEveryRecordStartsEveryPartitionAtItsEnd() {
		this.lookup.record(P0, 5, 1_000).record(P1, 0, 1_000);
		assertThat(StartingOffsets.timestamp(Long.MAX_VALUE).startOffsets(List.of(P0, P1), this.lookup))
			.isEqualTo(Map.of(P0, 50L, P1, 30L));
	}

	@Test
	void specificStartsListedPartitionsAtTheirOffsets() {
		StartingOffsets specific = StartingOffsets.specific(Map.of(P0, 17L, P1, 3L), OffsetResetStrategy.NONE);
		assertThat(specific.startOffsets(List.of(P0, P1), this.lookup)).isEqualTo(Map.of(P0, 17L, P1, 3L));
		assertThat(this.lookup.beginningQueries).isEmpty();
		assertThat(this.lookup.endQueries).isEmpty();
	}

	@Test
	void specificStartsUnlistedPartitionsAsTheResetStrategySays() {
		Map<TopicPartition, Long> offsets = Map.of(P0, 17L);
		assertThat(StartingOffsets.specific(offsets, OffsetResetStrategy.EARLIEST)
			.startOffsets(List.of(P0, P1, P2), this.lookup)).isEqualTo(Map.of(P0, 17L, P1, 0L, P2, 100L));
		assertThat(this.lookup.beginningQueries).hasSize(1);
		assertThat(this.lookup.beginningQueries.get(0)).containsExactlyInAnyOrder(P1, P2);
		assertThat(StartingOffsets.specific(offsets, OffsetResetStrategy.LATEST)
			.startOffsets(List.of(P0, P1), this.lookup)).isEqualTo(Map.of(P0, 17L, P1, 30L));
	}

	@Test
	void specificWithResetNoneFailsNamingOnlyUnlistedPartitions() {
		StartingOffsets specific = StartingOffsets.specific(Map.of(P0, 17L), OffsetResetStrategy.NONE);
		assertThatExceptionOfType(NoStartingOffsetException.class)
			.isThrownBy(() -> specific.startOffsets(List.of(P0, P1), this.lookup))
			.withMessageContaining("orders-1")
			.withMessageNotContaining("orders-0");
	}

	@Test
	void specificOffsetsAreCopied() {
		Map<TopicPartition, Long> offsets = new HashMap<>(Map.of(P0, 17L));
		StartingOffsets specific = StartingOffsets.specific(offsets, OffsetResetStrategy.EARLIEST);
		offsets.put(P0, 1L);
		assertThat(specific.startOffsets(List.of(P0), this.lookup)).isEqualTo(Map.of(P0, 17L));
	}

}
