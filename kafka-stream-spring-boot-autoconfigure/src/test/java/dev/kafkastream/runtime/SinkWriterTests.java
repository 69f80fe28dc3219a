package dev.kafkastream.runtime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.sink.SinkPartitioner;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link SinkWriter}: the producer record it builds from what a handler emits.
 */
class SinkWriterTests {

	private static final Node NODE = new Node(0, "localhost", 9092);

	private final MockProducer<byte[], byte[]> producer = new MockProducer<>(
			new Cluster("c", List.of(NODE), List.of(partition("out", 0), partition("out", 1), partition("out", 2)),
					java.util.Set.of(), java.util.Set.of()),
			true, null, new ByteArraySerializer(), new ByteArraySerializer());

	@Test
	void plainValueKeepsTheInputKeyAndTimestampAndNoHeaders() {
		write(sink().build(), input(42L), "v");
		ProducerRecord<byte[], byte[]> sent = sent();
		assertThat(sent.topic()).isEqualTo("out");
		assertThat(sent.partition()).isNull();
		assertThat(string(sent.key())).isEqualTo("in-key");
		assertThat(string(sent.value())).isEqualTo("v");
		assertThat(sent.timestamp()).isEqualTo(42L);
		assertThat(sent.headers().toArray()).isEmpty();
	}

	@Test
	void inputWithoutTimestampIsStampedByTheProducer() {
		write(sink().build(), input(RecordBatch.NO_TIMESTAMP), "v");
		assertThat(sent().timestamp()).isNull();
	}

	@Test
	void outputRecordSetsKeyHeadersTopicAndTimestamp() {
		write(sink().copyHeaders(true).build(), input(42L),
				OutputRecord.builder("v").key("k").header("trace", "mine").header("extra", "x").topic("elsewhere")
					.timestamp(7L).build());
		ProducerRecord<byte[], byte[]> sent = sent();
		assertThat(sent.topic()).isEqualTo("elsewhere");
		assertThat(string(sent.key())).isEqualTo("k");
		assertThat(sent.timestamp()).isEqualTo(7L);
		assertThat(sent.headers().toArray()).extracting((header) -> header.key() + "=" + string(header.value()))
			.containsExactly("other=o", "trace=mine", "extra=x");
	}

	@Test
	void outputRecordWithANullKeyWritesNoKey() {
		write(sink().build(), input(42L), OutputRecord.of(null, "v"));
		assertThat(sent().key()).isNull();
	}

	@Test
	void topicSelectorFallsBackToTheTopic() {
		KafkaSinkSpec sink = sink().topicSelector((key, value) -> "a".equals(value) ? "topic-a" : null).build();
		write(sink, input(1L), "a");
		write(sink, input(1L), "b");
		assertThat(this.producer.history()).extracting(ProducerRecord::topic).containsExactly("topic-a", "out");
	}

	@Test
	void failsWithoutATopic() {
		KafkaSinkSpec sink = sink().topic(null).topicSelector((key, value) -> null).build();
		assertThatIllegalStateException().isThrownBy(() -> write(sink, input(1L), "a"))
			.withMessage("Sink 'out' has no topic for a record: its topic selector %s chose none",
					sink.topicSelector());
	}

	@Test
	void fixedPartitionerUsesTheWorkerIndex() {
		SinkWriter writer = new SinkWriter(sink().partitioner(SinkPartitioner.fixed()).build(), 4, new SendFailure());
		writer.write(this.producer, input(1L), "in-key", "v", null);
		assertThat(sent().partition()).isEqualTo(1);
	}

	@Test
	void failsForAPartitionOutOfRange() {
		KafkaSinkSpec sink = sink().partitioner((topic, key, value, worker, count) -> count).build();
		assertThatIllegalStateException().isThrownBy(() -> write(sink, input(1L), "v"))
			.withMessageContaining("chose partition 3 of topic 'out', which has 3 partitions");
	}

	@Test
	void anyPartitionLeavesTheChoiceToTheProducer() {
		write(sink().partitioner((topic, key, value, worker, count) -> SinkPartitioner.ANY_PARTITION).build(),
				input(1L), "v");
		assertThat(sent().partition()).isNull();
	}

	@Test
	void writeTimestampOff() {
		write(sink().writeTimestamp(false).build(), input(42L), "v");
		assertThat(sent().timestamp()).isNull();
	}

	private void write(KafkaSinkSpec sink, ConsumerRecord<byte[], byte[]> input, Object emitted) {
		new SinkWriter(sink, 0, new SendFailure()).write(this.producer, input, "in-key", emitted, null);
	}

	private ProducerRecord<byte[], byte[]> sent() {
		assertThat(this.producer.history()).hasSize(1);
		return this.producer.history().get(0);
	}

	private static KafkaSinkSpec.Builder sink() {
		return KafkaSinkSpec.builder()
			.name("out")
			.topic("out")
			.deliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
			.keySerializer(new StringSerializer())
			.valueSerializer(new StringSerializer());
	}

	private static ConsumerRecord<byte[], byte[]> input(long timestamp) {
		RecordHeaders headers = new RecordHeaders();
		headers.add("other", "o".getBytes(StandardCharsets.UTF_8));
		headers.add("trace", "theirs".getBytes(StandardCharsets.UTF_8));
		return new ConsumerRecord<>("in", 0, 5L, timestamp, TimestampType.CREATE_TIME, 6, 1,
				"in-key".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8), headers,
				Optional.empty());
	}

	private static PartitionInfo partition(String topic, int partition) {
		return new PartitionInfo(topic, partition, NODE, new Node[] { NODE }, new Node[] { NODE });
	}

	private static String string(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
