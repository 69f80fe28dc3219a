package dev.kafkastream.runtime;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one worker.
 *
 * @param name the worker's name, also its thread's name
 * @param positions the next offset to process of every owned partition
 * @param committed the checkpointed offset of every owned partition
 * @param consecutiveFailures failures since the last completed checkpoint
 * @param lastFailure the last failure since the last completed checkpoint, or
 * {@code null}
 * @param skippedRecords records skipped because they could not be deserialised
 * @param deadLetters records written to the dead-letter topic, because they could not be
 * deserialised or because the handler failed on them
 * @param skippedOnHandlerError records skipped because the handler still failed on them
 * after its retries
 * @param handlerRetries calls of the handler retrying a record it threw on
 */
public record WorkerStatus(String name, Map<TopicPartition, Long> positions, Map<TopicPartition, Long> committed,
		int consecutiveFailures, @Nullable String lastFailure, long skippedRecords, long deadLetters,
		long skippedOnHandlerError, long handlerRetries) {

}
