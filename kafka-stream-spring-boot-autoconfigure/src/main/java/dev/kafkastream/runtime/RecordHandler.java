package dev.kafkastream.runtime;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The transformation of a pipeline: called once per input record, in order per
 * partition, on the thread of the worker that owns the partition.
 */
@FunctionalInterface
public interface RecordHandler {

	/**
	 * Handles one record.
	 * @param record the deserialised input record
	 * @param output where the records it produces go
	 * @throws Exception if the record cannot be handled: the worker calls the handler on it
	 * again, in place, and once the source's attempts are used up applies its handler error
	 * policy (by default it recovers from the last checkpoint). What was emitted by a call
	 * that throws is discarded.
	 */
	void handle(ConsumerRecord<Object, Object> record, RecordOutput output) throws Exception;

}
