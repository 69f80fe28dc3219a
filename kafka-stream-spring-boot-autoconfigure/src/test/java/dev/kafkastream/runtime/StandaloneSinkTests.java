package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.checkpoint.CheckpointSettings;
import dev.kafkastream.checkpoint.CheckpointState;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.core.KafkaStreamException;
import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.sink.KafkaSinkSpec;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StandaloneSink} with a {@link MockProducer}.
 */
class StandaloneSinkTests {

	private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
			new ByteArraySerializer());

	private final CheckpointCoordinator coordinator = new CheckpointCoordinator(
			new CheckpointSettings(Duration.ofHours(1), Duration.ofSeconds(10), Duration.ZERO, 10));

	private final KafkaClients clients = ProducerOnlyClients.of(() -> this.producer);

	@AfterEach
	void close() {
		this.coordinator.close();
	}

	@Test
	void exactlyOnceCompletesFuturesWhenTheCheckpointCommits() throws Exception {
		StandaloneSink sink = sink(DeliveryGuarantee.EXACTLY_ONCE);
		assertThat(sink.transactionalId()).isEqualTo("p-host-sink-out");
		CompletableFuture<RecordMetadata> first = sink.send("a");
		CompletableFuture<RecordMetadata> second = sink.send(OutputRecord.of("k", "b"));
		assertThat(this.producer.transactionInFlight()).isTrue();
		assertThat(first).isNotDone();
		assertThat(second).isNotDone();
		assertThat(checkpoint().state()).isEqualTo(CheckpointState.COMPLETED);
		assertThat(this.producer.transactionCommitted()).isTrue();
		assertThat(first.get().topic()).isEqualTo("out");
		assertThat(second).isCompleted();
		assertThat(this.producer.history()).hasSize(2);
	}

	@Test
	void exactlyOnceFailedCommitFailsFuturesAbortsAndTheNextSendStartsANewTransaction() throws Exception {
		StandaloneSink sink = sink(DeliveryGuarantee.EXACTLY_ONCE);
		this.producer.commitTransactionException = new KafkaException("commit failed");
		CompletableFuture<RecordMetadata> lost = sink.send("a");
		assertThat(checkpoint().state()).isEqualTo(CheckpointState.FAILED);
		assertThat(this.producer.transactionAborted()).isTrue();
		assertThat(lost).failsWithin(Duration.ofSeconds(1))
			.withThrowableThat()
			.withCauseInstanceOf(KafkaStreamException.class)
			.withMessageContaining("commit failed");
		this.producer.commitTransactionException = null;
		CompletableFuture<RecordMetadata> next = sink.send("b");
		assertThat(this.producer.transactionInFlight()).isTrue();
		assertThat(checkpoint().state()).isEqualTo(CheckpointState.COMPLETED);
		assertThat(next).succeedsWithin(Duration.ofSeconds(1));
	}

	@Test
	void producerFencedAgainAndAgainStopsSendingNamingTheInstanceId() throws Exception {
		StandaloneSink sink = sink(DeliveryGuarantee.EXACTLY_ONCE);
		this.producer.commitTransactionException = new ProducerFencedException("fenced");
		for (int i = 0; i < FencingDetector.MAX_FENCINGS; i++) {
			sink.send("a" + i);
			assertThat(checkpoint().state()).isEqualTo(CheckpointState.FAILED);
		}
		assertThat(sink.send("b")).failsWithin(Duration.ofSeconds(1))
			.withThrowableThat()
			.withMessageContaining("kafka-stream.instance-id")
			.withMessageContaining("p-host-sink-out");
	}

	@Test
	void exactlyOnceFinalCheckpointCommitsAndRefusesLaterSends() throws Exception {
		StandaloneSink sink = sink(DeliveryGuarantee.EXACTLY_ONCE);
		CompletableFuture<RecordMetadata> last = sink.send("a");
		CheckpointRecord record = this.coordinator.triggerFinal().get(10, TimeUnit.SECONDS);
		assertThat(record.state()).isEqualTo(CheckpointState.COMPLETED);
		assertThat(last).succeedsWithin(Duration.ofSeconds(1));
		assertThat(sink.send("b")).failsWithin(Duration.ofSeconds(1))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(IllegalStateException.class);
		sink.close(Duration.ofSeconds(1));
		assertThat(this.producer.closed()).isTrue();
	}

	@Test
	void exactlyOnceSinkStartedAgainAfterItClosedOpensANewProducerThatCommitsAtCheckpoints() throws Exception {
		List<MockProducer<byte[], byte[]>> producers = new ArrayList<>();
		StandaloneSink sink = new StandaloneSink(spec(DeliveryGuarantee.EXACTLY_ONCE), this.coordinator,
				ProducerOnlyClients.of(() -> {
					MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
							new ByteArraySerializer());
					producers.add(producer);
					return producer;
				}), "host");
		sink.start();
		CompletableFuture<RecordMetadata> first = sink.send("a");
		assertThat(this.coordinator.triggerFinal().get(10, TimeUnit.SECONDS).state())
			.isEqualTo(CheckpointState.COMPLETED);
		sink.close(Duration.ofSeconds(1));
		assertThat(first).succeedsWithin(Duration.ofSeconds(1));
		assertThat(sink.send("refused")).failsWithin(Duration.ofSeconds(1));

		sink.start();
		CompletableFuture<RecordMetadata> second = sink.send("b");
		assertThat(producers).hasSize(2);
		assertThat(producers.get(0).closed()).isTrue();
		assertThat(second).isNotDone();
		assertThat(checkpoint().state()).isEqualTo(CheckpointState.COMPLETED);
		assertThat(second).succeedsWithin(Duration.ofSeconds(1));
		assertThat(producers.get(1).transactionCommitted()).isTrue();
		sink.close(Duration.ofSeconds(1));
	}

	@Test
	void atLeastOnceCompletesOnAckAndDeclinesACheckpointAfterAFailedSend() throws Exception {
		MockProducer<byte[], byte[]> manual = new MockProducer<>(false, null, new ByteArraySerializer(),
				new ByteArraySerializer());
		StandaloneSink sink = new StandaloneSink(spec(DeliveryGuarantee.AT_LEAST_ONCE), this.coordinator,
				ProducerOnlyClients.of(() -> manual), "host");
		sink.start();
		CompletableFuture<RecordMetadata> acked = sink.send("a");
		CompletableFuture<RecordMetadata> failed = sink.send("b");
		assertThat(acked).isNotDone();
		manual.completeNext();
		manual.errorNext(new KafkaException("send failed"));
		assertThat(acked).isCompleted();
		assertThat(failed).isCompletedExceptionally();
		assertThat(checkpoint().state()).isEqualTo(CheckpointState.FAILED);
		assertThat(checkpoint().state()).isEqualTo(CheckpointState.COMPLETED);
	}

	@Test
	void noneTakesNoPartInCheckpoints() {
		StandaloneSink sink = sink(DeliveryGuarantee.NONE);
		assertThat(sink.send("a")).isCompleted();
		assertThat(this.coordinator.trigger()).isCompletedWithValue(null);
	}

	private CheckpointRecord checkpoint() throws Exception {
		return this.coordinator.trigger().get(10, TimeUnit.SECONDS);
	}

	private StandaloneSink sink(DeliveryGuarantee guarantee) {
		StandaloneSink sink = new StandaloneSink(spec(guarantee), this.coordinator, this.clients, "host");
		sink.start();
		return sink;
	}

	private KafkaSinkSpec spec(DeliveryGuarantee guarantee) {
		return KafkaSinkSpec.builder()
			.name("out")
			.topic("out")
			.deliveryGuarantee(guarantee)
			.transactionalIdPrefix("p")
			.keySerializer(new StringSerializer())
			.valueSerializer(new StringSerializer())
			.build();
	}

}
