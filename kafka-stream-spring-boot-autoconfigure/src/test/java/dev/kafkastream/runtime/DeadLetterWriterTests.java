package dev.kafkastream.runtime;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.listener.DeadLetterRecordManager;
import org.springframework.kafka.support.KafkaHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DeadLetterWriter}: its dead letters carry the headers spring-kafka's
 * {@code DeadLetterPublishingRecoverer} writes, with the same names and bytes.
 */
class DeadLetterWriterTests {

	private static final String GROUP = "orders-group";

	private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
			new ByteArraySerializer());

	private final DeadLetterWriter writer = new DeadLetterWriter(new SendFailure(), GROUP);

	@Test
	void headerNamesAreSpringKafkas() {
		assertThat(DeadLetterHeaders.ORIGINAL_TOPIC).isEqualTo(KafkaHeaders.DLT_ORIGINAL_TOPIC);
		assertThat(DeadLetterHeaders.ORIGINAL_PARTITION).isEqualTo(KafkaHeaders.DLT_ORIGINAL_PARTITION);
		assertThat(DeadLetterHeaders.ORIGINAL_OFFSET).isEqualTo(KafkaHeaders.DLT_ORIGINAL_OFFSET);
		assertThat(DeadLetterHeaders.ORIGINAL_TIMESTAMP).isEqualTo(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP);
		assertThat(DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE).isEqualTo(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE);
		assertThat(DeadLetterHeaders.ORIGINAL_CONSUMER_GROUP).isEqualTo(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP);
		assertThat(DeadLetterHeaders.EXCEPTION_FQCN).isEqualTo(KafkaHeaders.DLT_EXCEPTION_FQCN);
		assertThat(DeadLetterHeaders.EXCEPTION_MESSAGE).isEqualTo(KafkaHeaders.DLT_EXCEPTION_MESSAGE);
		assertThat(DeadLetterHeaders.EXCEPTION_STACKTRACE).isEqualTo(KafkaHeaders.DLT_EXCEPTION_STACKTRACE);
		assertThat(DeadLetterHeaders.EXCEPTION_CAUSE_FQCN).isEqualTo(KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN);
		assertThat(DeadLetterHeaders.KEY_EXCEPTION_FQCN).isEqualTo(KafkaHeaders.DLT_KEY_EXCEPTION_FQCN);
		assertThat(DeadLetterHeaders.KEY_EXCEPTION_MESSAGE).isEqualTo(KafkaHeaders.DLT_KEY_EXCEPTION_MESSAGE);
		assertThat(DeadLetterHeaders.KEY_EXCEPTION_STACKTRACE).isEqualTo(KafkaHeaders.DLT_KEY_EXCEPTION_STACKTRACE);
	}

	@Test
	void handlerFailureCarriesTheHeadersSpringKafkaWritesByteForByte() {
		ConsumerRecord<byte[], byte[]> record = record(new RecordHeaders().add("trace", text("t-1")));
		IllegalStateException failure = new IllegalStateException("poison");
		Headers ours = write(record, failure, false);
		Headers springKafkas = new DeadLetterRecordManager()
			.enrichHeadersAndCreateProducerRecord(record, failure, new TopicPartition("orders.DLT", -1))
			.headers();
		assertThat(springKafkas.toArray()).hasSizeGreaterThan(8);
		for (Header header : springKafkas) {
			assertThat(ours.lastHeader(header.key())).as(header.key()).isNotNull();
			assertThat(ours.lastHeader(header.key()).value()).as(header.key()).isEqualTo(header.value());
		}
		assertThat(ByteBuffer.wrap(ours.lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION).value()).getInt()).isEqualTo(2);
		assertThat(ByteBuffer.wrap(ours.lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value()).getLong()).isEqualTo(42L);
		assertThat(string(ours, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).isEqualTo(GROUP);
		assertThat(ours.lastHeader(DeadLetterHeaders.EXCEPTION_CAUSE_MESSAGE)).as("no cause").isNull();
	}

	@Test
	void springKafkaTakesTheDeadLetterHeadersForItsOwn() {
		ConsumerRecord<byte[], byte[]> record = record(new RecordHeaders());
		Headers ours = write(record, new IllegalStateException("poison"), false);
		ConsumerRecord<byte[], byte[]> replayed = new ConsumerRecord<>("orders-retry", 0, 7, 2_000L,
				TimestampType.CREATE_TIME, 3, 5, record.key(), record.value(), ours, Optional.empty());
		Headers again = new DeadLetterRecordManager()
			.enrichHeadersAndCreateProducerRecord(replayed, new IllegalArgumentException("again"),
					new TopicPartition("orders.DLT", -1))
			.headers();
		assertThat(again.headers(KafkaHeaders.DLT_ORIGINAL_TOPIC)).extracting(Header::value)
			.containsExactly(text("orders"), text("orders-retry"));
		assertThat(again.headers(KafkaHeaders.DLT_ORIGINAL_OFFSET)).extracting(Header::value)
			.containsExactly(ByteBuffer.allocate(8).putLong(42L).array(), ByteBuffer.allocate(8).putLong(7L).array());
		assertThat(again.headers(KafkaHeaders.DLT_EXCEPTION_FQCN)).as("replaced, as spring-kafka replaces its own")
			.hasSize(1);
		assertThat(string(again, KafkaHeaders.DLT_EXCEPTION_FQCN)).isEqualTo(IllegalArgumentException.class.getName());
	}

	@Test
	void wrappedFailureNamesItsRootCause() {
		SerializationException failure = new SerializationException("Can't deserialize data from topic [orders]",
				new UncheckedIOException("Unexpected end-of-input", new java.io.IOException("Unexpected end-of-input")));
		Headers ours = write(record(new RecordHeaders()), failure, false);
		assertThat(string(ours, KafkaHeaders.DLT_EXCEPTION_FQCN)).isEqualTo(SerializationException.class.getName());
		assertThat(string(ours, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN)).isEqualTo(java.io.IOException.class.getName());
		assertThat(string(ours, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
			.isEqualTo("Can't deserialize data from topic [orders]; Unexpected end-of-input");
		assertThat(string(ours, DeadLetterHeaders.EXCEPTION_CAUSE_MESSAGE)).isEqualTo("Unexpected end-of-input");
		assertThat(string(ours, KafkaHeaders.DLT_EXCEPTION_STACKTRACE)).startsWith(SerializationException.class.getName())
			.contains("Caused by: " + java.io.IOException.class.getName());
	}

	@Test
	void keyFailureUsesTheKeyExceptionHeaders() {
		Headers ours = write(record(new RecordHeaders()), new SerializationException("bad key"), true);
		assertThat(string(ours, KafkaHeaders.DLT_KEY_EXCEPTION_FQCN)).isEqualTo(SerializationException.class.getName());
		assertThat(string(ours, KafkaHeaders.DLT_KEY_EXCEPTION_MESSAGE)).isEqualTo("bad key");
		assertThat(ours.lastHeader(KafkaHeaders.DLT_KEY_EXCEPTION_STACKTRACE)).isNotNull();
		assertThat(ours.lastHeader(KafkaHeaders.DLT_EXCEPTION_FQCN)).isNull();
		assertThat(ours.lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE)).isNull();
	}

	@Test
	void exceptionHeadersOfAnEarlierFailureAreReplacedAndOriginsAppended() {
		Headers first = write(record(new RecordHeaders()), new IllegalStateException("first",
				new IllegalArgumentException("root")), false);
		ConsumerRecord<byte[], byte[]> replayed = new ConsumerRecord<>("orders-retry", 0, 7, 2_000L,
				TimestampType.CREATE_TIME, 3, 5, text("k"), text("v"), first, Optional.empty());
		this.producer.clear();
		Headers second = write(replayed, new IllegalStateException("second"), false);
		assertThat(second.headers(KafkaHeaders.DLT_EXCEPTION_MESSAGE)).hasSize(1);
		assertThat(string(second, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).isEqualTo("second");
		assertThat(string(second, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN)).isEqualTo(IllegalStateException.class.getName());
		assertThat(second.lastHeader(DeadLetterHeaders.EXCEPTION_CAUSE_MESSAGE)).isNull();
		assertThat(second.headers(KafkaHeaders.DLT_ORIGINAL_TOPIC)).extracting(Header::value)
			.containsExactly(text("orders"), text("orders-retry"));
	}

	private Headers write(ConsumerRecord<byte[], byte[]> record, Exception failure, boolean keyFailed) {
		this.writer.write(this.producer, "orders.DLT", record, failure, keyFailed, null, () -> {
		});
		assertThat(this.producer.history()).hasSize(1);
		ProducerRecord<byte[], byte[]> deadLetter = this.producer.history().get(0);
		assertThat(deadLetter.topic()).isEqualTo("orders.DLT");
		assertThat(deadLetter.key()).isEqualTo(record.key());
		assertThat(deadLetter.value()).isEqualTo(record.value());
		return deadLetter.headers();
	}

	private static ConsumerRecord<byte[], byte[]> record(Headers headers) {
		return new ConsumerRecord<>("orders", 2, 42, 1_000L, TimestampType.CREATE_TIME, 3, 5, text("k-1"),
				text("value"), headers, Optional.empty());
	}

	private static byte[] text(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static String string(Headers headers, String name) {
		return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
