package dev.kafkastream.runtime;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one worker, taken without stopping it: counters are as of the end of the
 * worker's last batch (or keep-alive during a long one).
 *
 * @param name the worker's name, also its thread's name
 * @param ready whether it joined its group and positioned the partitions it was given
 * @param partitions its partitions: those assigned to it and those it still processes
 * @param consecutiveFailures failures since the last completed checkpoint
 * @param lastFailure the last failure since the last completed checkpoint, or
 * {@code null}
 * @param records what it read and handled
 * @param sinks what it wrote, per sink
 * @param failedSends sends its producer reported as failed (each failure rolls the
 * worker back to its last checkpoint)
 * @param transactionStart when its open transaction began, {@code null} without one
 */
public record WorkerStatus(String name, boolean ready, Map<TopicPartition, PartitionStatus> partitions,
		int consecutiveFailures, @Nullable String lastFailure, RecordCounts records, List<SinkCounts> sinks,
		long failedSends, @Nullable Instant transactionStart) {

	public WorkerStatus {
		partitions = Map.copyOf(partitions);
		sinks = List.copyOf(sinks);
	}

	/**
	 * The partitions of several workers, each once: a partition handed over in a
	 * rebalance may show up at two workers for a moment, and the newer status is the one
	 * further on.
	 * @param workers the workers, such as a pipeline's
	 * @return the status of every partition
	 */
	public static Map<TopicPartition, PartitionStatus> partitionsOf(List<WorkerStatus> workers) {
		Map<TopicPartition, PartitionStatus> partitions = new HashMap<>();
		for (WorkerStatus worker : workers) {
			worker.partitions().forEach((partition, status) -> partitions.merge(partition, status,
					(one, other) -> (position(other) > position(one)) ? other : one));
		}
		return partitions;
	}

	private static long position(PartitionStatus status) {
		Long position = status.position();
		return (position != null) ? position : -1;
	}

	/**
	 * The positions known: of the partitions the worker read from or placed.
	 * @return the next offset to handle, by partition
	 */
	public Map<TopicPartition, Long> positions() {
		Map<TopicPartition, Long> positions = new HashMap<>();
		this.partitions.forEach((partition, status) -> {
			if (status.position() != null) {
				positions.put(partition, status.position());
			}
		});
		return positions;
	}

	/**
	 * One partition of a worker.
	 *
	 * @param position the next offset to handle, {@code null} until the worker read from
	 * the partition or placed it
	 * @param committed the offset of its last checkpoint, {@code null} when unknown
	 * @param committedBy the id of the checkpoint that committed it, {@code null} when
	 * unknown
	 * @param lastRecordTime when the worker last handled a record of it, {@code null}
	 * before the first
	 * @param lastRecordTimestamp the timestamp (event time) of that record, {@code null}
	 * before the first or when it had none
	 */
	public record PartitionStatus(@Nullable Long position, @Nullable Long committed, @Nullable Long committedBy,
			@Nullable Instant lastRecordTime, @Nullable Long lastRecordTimestamp) {

	}

	/**
	 * What a worker read and handled since it started.
	 *
	 * @param recordsIn records read and handed to deserialisation
	 * @param bytesIn their serialised key and value bytes
	 * @param deserializationErrors records whose key or value could not be deserialised
	 * @param skippedRecords records skipped because they could not be deserialised
	 * @param deadLetters records sent to the dead-letter topic, because they could not be
	 * deserialised or because the handler failed on them
	 * @param skippedOnHandlerError records skipped because the handler still failed on
	 * them after its retries
	 * @param handlerRetries calls of the handler retrying a record it threw on
	 * @param handlerCalls calls of the handler
	 * @param handlerNanos time spent in those calls, in nanoseconds
	 */
	public record RecordCounts(long recordsIn, long bytesIn, long deserializationErrors, long skippedRecords,
			long deadLetters, long skippedOnHandlerError, long handlerRetries, long handlerCalls, long handlerNanos) {

	}

	/**
	 * What a worker wrote to one sink since it started.
	 *
	 * @param sink the sink's name
	 * @param recordsOut records handed to the producer
	 * @param bytesOut their serialised key and value bytes
	 * @param lastSend when the last of them was handed over, {@code null} before the first
	 */
	public record SinkCounts(String sink, long recordsOut, long bytesOut, @Nullable Instant lastSend) {

	}

}
