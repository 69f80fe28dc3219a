package dev.kafkastream.runtime;

import java.util.List;

import dev.kafkastream.core.NonRetryableException;
import dev.kafkastream.source.KafkaSourceSpec;
import dev.kafkastream.source.Subscription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IdentityConflicts}.
 */
class IdentityConflictsTests {

	private final KafkaSourceSpec groupSource = KafkaSourceSpec.builder()
		.name("orders")
		.topics("orders")
		.groupId("enricher")
		.staticMembership(true, true)
		.build();

	@Test
	void aStaticMemberFencedByAnotherWithItsInstanceIdCannotRecover() {
		NonRetryableException conflict = new IdentityConflicts("kafka-stream-orders-1", this.groupSource, "host", 1)
			.check(new KafkaException(new FencedInstanceIdException("fenced")), 0);
		assertThat(conflict).isNotNull();
		assertThat(conflict.getMessage()).contains("group 'enricher'", "group.instance.id 'host-orders-1'",
				"kafka-stream.instance-id=host");
	}

	@Test
	void aStaticMemberWhoseIdIsStillHeldCannotRecover() {
		NonRetryableException conflict = new IdentityConflicts("kafka-stream-orders-0", this.groupSource, "host", 0)
			.check(new UnreleasedInstanceIdException("unreleased"), 0);
		assertThat(conflict).isNotNull();
		assertThat(conflict.getMessage()).contains("Group 'enricher' refuses", "'host-orders-0'",
				"still belongs to a member that has not left");
	}

	@Test
	void aProducerFencedOnceRecovers() {
		assertThat(new IdentityConflicts("w", this.groupSource, "host", 0)
			.check(new ProducerFencedException("fenced"), 0)).isNull();
		assertThat(new IdentityConflicts("w", this.groupSource, "host", 0)
			.check(new IllegalStateException("other"), 0)).isNull();
	}

	@Test
	void aProducerFencedOverAndOverNamesTheInstanceIdOfAGroupWorker() {
		IdentityConflicts conflicts = new IdentityConflicts("w", this.groupSource, "host", 0);
		NonRetryableException conflict = fenceRepeatedly(conflicts);
		assertThat(conflict.getMessage()).contains("Is a second instance running with kafka-stream.instance-id=host?");
	}

	@Test
	void aProducerFencedOverAndOverNamesTheExplicitPartitionsItReads() {
		KafkaSourceSpec explicit = KafkaSourceSpec.builder()
			.name("orders")
			.subscription(Subscription.partitions(List.of(new TopicPartition("orders", 0),
					new TopicPartition("orders", 1), new TopicPartition("orders", 2))))
			.groupId("enricher")
			.concurrency(2)
			.build();
		NonRetryableException conflict = fenceRepeatedly(new IdentityConflicts("w", explicit, "host", 0));
		assertThat(conflict.getMessage()).contains("explicit partitions [orders-0, orders-2]",
				"(kafka-stream.sources.orders.partitions)", "only one instance may read them");
	}

	private static NonRetryableException fenceRepeatedly(IdentityConflicts conflicts) {
		for (int i = 1; i < FencingDetector.MAX_FENCINGS; i++) {
			assertThat(conflicts.check(new ProducerFencedException("fenced"), i)).isNull();
		}
		NonRetryableException conflict = conflicts.check(new ProducerFencedException("fenced"),
				FencingDetector.MAX_FENCINGS);
		assertThat(conflict).isNotNull();
		return conflict;
	}

}
