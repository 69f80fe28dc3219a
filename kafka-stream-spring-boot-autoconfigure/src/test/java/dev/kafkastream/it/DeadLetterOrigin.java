package dev.kafkastream.it;

import java.nio.ByteBuffer;

import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import org.springframework.kafka.support.KafkaHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a dead letter came from, read from its headers the way a spring-kafka user reads
 * them: {@link KafkaHeaders#DLT_ORIGINAL_TOPIC} as text, the partition as a big-endian
 * int and the offset as a big-endian long.
 * @param topic the original topic
 * @param partition the original partition
 * @param offset the original offset
 */
record DeadLetterOrigin(String topic, int partition, long offset) {

	static DeadLetterOrigin of(ConsumerRecord<byte[], byte[]> deadLetter) {
		return new DeadLetterOrigin(TopicContent.header(deadLetter, KafkaHeaders.DLT_ORIGINAL_TOPIC),
				ByteBuffer.wrap(binary(deadLetter, KafkaHeaders.DLT_ORIGINAL_PARTITION, Integer.BYTES)).getInt(),
				ByteBuffer.wrap(binary(deadLetter, KafkaHeaders.DLT_ORIGINAL_OFFSET, Long.BYTES)).getLong());
	}

	private static byte[] binary(ConsumerRecord<byte[], byte[]> deadLetter, String name, int length) {
		Header header = deadLetter.headers().lastHeader(name);
		assertThat(header).as("header %s", name).isNotNull();
		assertThat(header.value()).as("header %s", name).hasSize(length);
		return header.value();
	}

	/**
	 * The partition and offset.
	 * @return {@code partition@offset}
	 */
	String position() {
		return this.partition + "@" + this.offset;
	}

}
