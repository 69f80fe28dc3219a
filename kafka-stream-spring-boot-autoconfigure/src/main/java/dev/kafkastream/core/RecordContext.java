package dev.kafkastream.core;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;

/**
 * Where an input record comes from: its topic, partition and offset, and its timestamp. A
 * handler method that takes a parameter of this type receives it with every record.
 *
 * @param topic the topic the record was read from
 * @param partition the partition of that topic
 * @param offset the offset of the record in its partition
 * @param timestamp the record's timestamp in milliseconds since the epoch
 * @param timestampType whether the timestamp was set by the producer or by the broker
 */
public record RecordContext(String topic, int partition, long offset, long timestamp, TimestampType timestampType) {

	/**
	 * The context of a consumer record.
	 * @param record the record
	 * @return its context
	 */
	public static RecordContext of(ConsumerRecord<?, ?> record) {
		return new RecordContext(record.topic(), record.partition(), record.offset(), record.timestamp(),
				record.timestampType());
	}

}
