package dev.kafkastream.runtime;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The transformation of a pipeline that takes records in batches: called with the
 * records of one partition read by one poll (without those a deserialisation error
 * policy skipped or dead-lettered), in order, on the thread of the worker that owns the
 * partition. A batch never spans a checkpoint: checkpoints are taken between batches.
 */
@FunctionalInterface
public interface RecordBatchHandler {

	/**
	 * Handles a batch of records.
	 * @param records the deserialised input records of one partition, in offset order
	 * @param output where the records it produces go
	 * @throws Exception if the batch cannot be handled: a
	 * {@link dev.kafkastream.core.BatchRecordFailedException} names the record that
	 * failed, anything else fails the whole batch (see
	 * {@link dev.kafkastream.core.BatchRecordFailedException}). What was emitted by a
	 * call that throws is discarded.
	 */
	void handle(List<ConsumerRecord<Object, Object>> records, BatchOutput output) throws Exception;

}
