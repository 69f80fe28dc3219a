package dev.kafkastream.sink;

import org.jspecify.annotations.Nullable;

/**
 * Chooses the partition of each record a sink writes, like Flink's
 * {@code FlinkKafkaPartitioner}. Called on the writing worker's thread for every record,
 * so it should be quick; an instance is shared by the workers of every pipeline writing
 * to the sink, so it must be thread-safe. A sink without a partitioner leaves the choice
 * to the producer's partitioner (Kafka's default: by key hash, sticky for records
 * without a key).
 */
@FunctionalInterface
public interface SinkPartitioner {

	/**
	 * Returned to leave the choice of the partition to the producer.
	 */
	int ANY_PARTITION = -1;

	/**
	 * The partition of a record.
	 * @param topic the topic the record is written to
	 * @param key the key as the handler set it in an
	 * {@link dev.kafkastream.core.OutputRecord OutputRecord}, else the key of the input
	 * record as the source deserialises it (a {@code byte[]} unless the source has a key
	 * format or deserializer, or the handler takes the key)
	 * @param value the value, before serialisation
	 * @param workerIndex the index of the writing worker in its source, from 0
	 * @param partitionCount the number of partitions of the topic
	 * @return the partition, from 0 to {@code partitionCount - 1}, or
	 * {@link #ANY_PARTITION} to let the producer choose
	 */
	int partition(String topic, @Nullable Object key, @Nullable Object value, int workerIndex, int partitionCount);

	/**
	 * Flink's fixed partitioner: each worker writes all its records to one partition,
	 * {@code workerIndex % partitionCount}. With fewer workers than partitions some
	 * partitions receive nothing; with more, several workers share a partition.
	 * @return the partitioner
	 */
	static SinkPartitioner fixed() {
		return FixedPartitioner.INSTANCE;
	}

	/**
	 * Spreads records evenly over the partitions of their topic, one after the other,
	 * whatever their key: per-key order is not kept.
	 * @return a new partitioner with its own counter
	 */
	static SinkPartitioner roundRobin() {
		return new RoundRobinPartitioner();
	}

}
