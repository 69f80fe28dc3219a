package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.List;

import dev.kafkastream.core.NonRetryableException;
import dev.kafkastream.source.KafkaSourceSpec;
import dev.kafkastream.source.Subscription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IdentityConflicts}.
 */
class IdentityConflictsTests {

	private static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(1);

	private final KafkaSourceSpec groupSource = KafkaSourceSpec.builder()
		.name("orders")
		.topics("orders")
		.groupId("enricher")
		.staticMembership(true, true)
		.build();

	private final KafkaSourceSpec explicitSource = KafkaSourceSpec.builder()
		.name("orders")
		.subscription(Subscription.partitions(List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1),
				new TopicPartition("orders", 2))))
		.groupId("enricher")
		.concurrency(2)
		.build();

	@Test
	void aStaticMemberFencedByAnotherWithItsInstanceIdCannotRecover() {
		NonRetryableException conflict = conflicts(this.groupSource, 1)
			.check(new KafkaException(new FencedInstanceIdException("fenced")), 0, null);
		assertThat(conflict).isNotNull();
		assertThat(conflict.getMessage()).contains("group 'enricher'", "group.instance.id 'host-orders-1'",
				"kafka-stream.instance-id=host");
	}

	@Test
	void aStaticMemberWhoseIdIsStillHeldCannotRecover() {
		NonRetryableException conflict = conflicts(this.groupSource, 0)
			.check(new UnreleasedInstanceIdException("unreleased"), 0, null);
		assertThat(conflict).isNotNull();
		assertThat(conflict.getMessage()).contains("Group 'enricher' refuses", "'host-orders-0'",
				"still belongs to a member that has not left");
	}

	@Test
	void aProducerFencedOnceRecovers() {
		assertThat(conflicts(this.groupSource, 0)
			.check(new ProducerFencedException("fenced"), 0, null)).isNull();
		assertThat(conflicts(this.groupSource, 0)
			.check(new IllegalStateException("other"), 0, null)).isNull();
	}

	@Test
	void aProducerFencedOverAndOverNamesTheInstanceIdOfAGroupWorker() {
		IdentityConflicts conflicts = conflicts(this.groupSource, 0);
		NonRetryableException conflict = fenceRepeatedly(conflicts);
		assertThat(conflict.getMessage()).contains("Is a second instance running with kafka-stream.instance-id=host?");
	}

	@Test
	void aProducerFencedOverAndOverNamesTheExplicitPartitionsItReads() {
		Duration timedOut = TRANSACTION_TIMEOUT.plusMillis(1);
		IdentityConflicts conflicts = conflicts(this.explicitSource, 0);
		for (int i = 1; i < FencingDetector.MAX_FENCINGS; i++) {
			assertThat(conflicts.check(new ProducerFencedException("fenced"), i, timedOut)).isNull();
		}
		NonRetryableException conflict = conflicts.check(new ProducerFencedException("fenced"),
				FencingDetector.MAX_FENCINGS, timedOut);
		assertThat(conflict).isNotNull();
		assertThat(conflict.getMessage()).contains("fenced 3 times", "explicit partitions [orders-0, orders-2]",
				"(kafka-stream.sources.orders.partitions)", "only one instance may read them");
	}

	@Test
	void aProducerOfExplicitPartitionsFencedBeforeItsTransactionCouldTimeOutGivesWayAtOnce() {
		NonRetryableException conflict = conflicts(this.explicitSource, 0)
			.check(new KafkaException(new ProducerFencedException("fenced")), 0, Duration.ofMillis(800));
		assertThat(conflict).isNotNull();
		assertThat(conflict.getMessage()).contains(
				"fenced by another producer with its transactional id while its transaction was 800 ms old,"
						+ " younger than its transaction timeout (60000 ms)",
				"explicit partitions [orders-0, orders-2]", "(kafka-stream.sources.orders.partitions)");
	}

	@Test
	void aProducerOfExplicitPartitionsFencedBetweenTransactionsGivesWayAtOnce() {
		NonRetryableException conflict = conflicts(this.explicitSource, 1)
			.check(new InvalidProducerEpochException("epoch"), 0, null);
		assertThat(conflict).isNotNull();
		assertThat(conflict.getMessage()).contains("fenced by another producer with its transactional id. Is another",
				"explicit partitions [orders-1]");
	}

	@Test
	void aGroupWorkerFencedBeforeItsTransactionCouldTimeOutRecovers() {
		assertThat(conflicts(this.groupSource, 0).check(new ProducerFencedException("fenced"), 0, Duration.ZERO))
			.isNull();
	}

	private static IdentityConflicts conflicts(KafkaSourceSpec source, int index) {
		return new IdentityConflicts("w", source, "host", index, TRANSACTION_TIMEOUT);
	}

	private static NonRetryableException fenceRepeatedly(IdentityConflicts conflicts) {
		for (int i = 1; i < FencingDetector.MAX_FENCINGS; i++) {
			assertThat(conflicts.check(new ProducerFencedException("fenced"), i, null)).isNull();
		}
		NonRetryableException conflict = conflicts.check(new ProducerFencedException("fenced"),
				FencingDetector.MAX_FENCINGS, null);
		assertThat(conflict).isNotNull();
		return conflict;
	}

}
