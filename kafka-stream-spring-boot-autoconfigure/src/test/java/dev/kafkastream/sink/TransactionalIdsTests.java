package dev.kafkastream.sink;

import java.util.List;
import java.util.regex.Pattern;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TransactionalIds}.
 */
class TransactionalIdsTests {

	@Test
	void workerOfAGroupIsNamedByInstanceSourceAndWorker() {
		assertThat(TransactionalIds.of("enricher", "host-1", "orders", 2)).isEqualTo("enricher-host-1-orders-2");
	}

	@Test
	void workerOfExplicitPartitionsIsNamedByItsPartitionsInOrder() {
		assertThat(TransactionalIds.ofPartitions("enricher", "orders", List.of(new TopicPartition("orders", 2),
				new TopicPartition("audit", 1), new TopicPartition("orders", 0))))
			.isEqualTo("enricher-orders-partitions-audit-1,orders-0,orders-2");
	}

	@Test
	void anyWorkerOfASourceMatchesEveryInstanceAndConcurrency() {
		Pattern workers = TransactionalIds.ofAnyWorker("enricher", "orders");
		assertThat(workers.matcher(TransactionalIds.of("enricher", "host-1", "orders", 0)).matches()).isTrue();
		assertThat(workers.matcher(TransactionalIds.of("enricher", "retired", "orders", 12)).matches()).isTrue();
		assertThat(workers
			.matcher(TransactionalIds.ofPartitions("enricher", "orders", List.of(new TopicPartition("orders", 0))))
			.matches()).isTrue();
	}

	@Test
	void anyWorkerOfASourceLeavesOtherSourcesAndApplicationsAlone() {
		Pattern workers = TransactionalIds.ofAnyWorker("enricher", "orders");
		assertThat(workers.matcher(TransactionalIds.of("enricher", "host-1", "payments", 0)).matches()).isFalse();
		assertThat(workers.matcher(TransactionalIds.of("other", "host-1", "orders", 0)).matches()).isFalse();
		// an application whose prefix extends this one's
		assertThat(workers.matcher(TransactionalIds.of("enricher-v2", "host-1", "payments", 0)).matches()).isFalse();
		assertThat(workers.matcher(TransactionalIds.ofSink("enricher", "host-1", "orders")).matches()).isFalse();
	}

	@Test
	void sinkInAnyInstanceMatchesOnlyThatSink() {
		Pattern sink = TransactionalIds.ofSinkInAnyInstance("enricher", "audit");
		assertThat(sink.matcher(TransactionalIds.ofSink("enricher", "host-1", "audit")).matches()).isTrue();
		assertThat(sink.matcher(TransactionalIds.ofSink("enricher", "host-1", "orders")).matches()).isFalse();
		assertThat(sink.matcher(TransactionalIds.of("enricher", "host-1", "audit", 0)).matches()).isFalse();
	}

}
