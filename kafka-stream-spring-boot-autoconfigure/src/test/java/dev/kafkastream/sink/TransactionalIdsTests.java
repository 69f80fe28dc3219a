package dev.kafkastream.sink;

import java.util.List;

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

}
