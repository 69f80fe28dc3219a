package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointSettings;
import dev.kafkastream.core.DeliveryGuarantee;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link CheckpointCommitter} and {@link WorkerRebalanceListener} under
 * exactly-once, with a {@link MockProducer} and a {@link MockConsumer}: the protocol's
 * rules, not the broker's behaviour (the integration tests cover that).
 */
class CheckpointCommitterTests {

	private static final TopicPartition REVOKED = new TopicPartition("in", 0);

	private static final TopicPartition KEPT = new TopicPartition("in", 1);

	private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
			new ByteArraySerializer());

	private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("none");

	private final CheckpointCoordinator coordinator = new CheckpointCoordinator(
			new CheckpointSettings(Duration.ofHours(1), Duration.ofSeconds(10), Duration.ZERO, 10));

	private final OwnedPartitions owned = new OwnedPartitions();

	private final WorkerProducer workerProducer = new WorkerProducer(
			ProducerOnlyClients.of(() -> this.producer), Map.of(), true, "worker",
			"sink 'out' producer 0");

	private final CheckpointCommitter committer = new CheckpointCommitter("worker", DeliveryGuarantee.EXACTLY_ONCE,
			true, this.workerProducer, this.owned, (partition) -> null, new SendFailure(), this.coordinator);

	private final WorkerRebalanceListener listener = new WorkerRebalanceListener("worker", this.consumer,
			this.committer, this.owned, (partitions) -> {
			}, () -> 7);

	@BeforeEach
	void assignAndReadBothPartitions() {
		this.consumer.assign(List.of(REVOKED, KEPT));
		this.consumer.commitSync(Map.of(REVOKED, new OffsetAndMetadata(10), KEPT, new OffsetAndMetadata(20)));
		this.owned.start(REVOKED, 10);
		this.owned.start(KEPT, 20);
		this.workerProducer.beginTransactionIfNeeded();
		this.producer.send(new ProducerRecord<>("out", new byte[] { 1 }));
		this.owned.advance(REVOKED, 15);
		this.owned.advance(KEPT, 25);
	}

	@AfterEach
	void close() {
		this.coordinator.close();
	}

	@Test
	void checkpointCommitsTheOffsetsInTheTransaction() {
		assertThat(this.committer.commit(this.consumer, 3)).isTrue();
		assertThat(this.producer.transactionCommitted()).isTrue();
		assertThat(this.producer.consumerGroupOffsetsHistory()).singleElement()
			.satisfies((offsets) -> assertThat(offsets.values()).singleElement()
				.satisfies((byPartition) -> assertThat(byPartition).containsOnlyKeys(REVOKED, KEPT)));
		assertThat(this.owned.committedOffsets()).isEqualTo(Map.of(REVOKED, 15L, KEPT, 25L));
	}

	@Test
	void failedRevocationCommitThrowsTheTransactionAwayAndNothingCommitsUntilTheRollback() {
		this.producer.commitTransactionException = new KafkaException("commit failed");
		this.listener.onPartitionsRevoked(Set.of(REVOKED));
		assertThat(this.producer.transactionAborted()).isTrue();
		assertThat(this.committer.rollbackPending()).isTrue();
		this.producer.commitTransactionException = null;
		// the kept partition's position counts output that was thrown away
		assertThatIllegalStateException().isThrownBy(() -> this.committer.commit(this.consumer, 8))
			.withMessageContaining("not rolled back yet");
		assertThat(this.producer.transactionCommitted()).isFalse();
		this.consumer.assign(List.of(KEPT));
		this.committer.rollback(this.consumer);
		assertThat(this.committer.rollbackPending()).isFalse();
		assertThat(this.consumer.position(KEPT)).isEqualTo(20);
		assertThat(this.owned.positions()).isEqualTo(Map.of(KEPT, 20L));
	}

	@Test
	void revocationWhileARollbackIsPendingCommitsNothing() {
		this.committer.throwAway();
		this.listener.onPartitionsRevoked(Set.of(REVOKED));
		assertThat(this.producer.transactionCommitted()).isFalse();
		assertThat(this.producer.consumerGroupOffsetsHistory()).isEmpty();
		assertThat(this.owned.positions()).containsOnlyKeys(KEPT);
	}

	@Test
	void lostPartitionsThrowTheTransactionAway() {
		this.listener.onPartitionsLost(Set.of(REVOKED));
		assertThat(this.producer.transactionAborted()).isTrue();
		assertThat(this.committer.rollbackPending()).isTrue();
	}

	@Test
	void closingWorkerDoesNotCommitOnRevocation() {
		this.listener.closing();
		this.listener.onPartitionsRevoked(Set.of(REVOKED, KEPT));
		assertThat(this.producer.transactionCommitted()).isFalse();
		assertThat(this.owned.positions()).isEmpty();
	}

}
