package dev.kafkastream.runtime;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.kafkastream.checkpoint.CheckpointMetadata;
import dev.kafkastream.checkpoint.CheckpointMetadata.Stop;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The partitions a worker processes, with for each the position reached by the handler
 * (the next offset to process) and the offset of its last checkpoint. A partition enters
 * when its start is known: its committed offset, or the offset of the first record read
 * from it. Written only by the worker's thread; read by anyone for status.
 */
final class OwnedPartitions {

	private static final long NOT_COMMITTED = -1;

	private final Map<TopicPartition, Offsets> partitions = new ConcurrentHashMap<>();

	/**
	 * Sets where a partition starts from its checkpoint: both its position and its
	 * checkpoint.
	 * @param partition the partition
	 * @param start the committed offset, or the first offset read
	 */
	void start(TopicPartition partition, long start) {
		this.partitions.put(partition, new Offsets(start, start));
	}

	/**
	 * Sets where a partition without a checkpoint starts. The next checkpoint commits
	 * this start even if no record moves it, so a restart never places the partition
	 * again (later, for a start at the latest offset).
	 * @param partition the partition
	 * @param start the offset the starting offsets chose
	 */
	void startWithoutCheckpoint(TopicPartition partition, long start) {
		this.partitions.put(partition, new Offsets(start, NOT_COMMITTED));
	}

	/**
	 * Starts a partition at the given offset unless its start is known already.
	 * @param partition the partition
	 * @param firstOffset the offset of the first record read from it
	 */
	void startIfUnknown(TopicPartition partition, long firstOffset) {
		this.partitions.computeIfAbsent(partition, (key) -> new Offsets(firstOffset, firstOffset));
	}

	void remove(Collection<TopicPartition> removed) {
		removed.forEach(this.partitions::remove);
	}

	void retainOnly(Collection<TopicPartition> assigned) {
		this.partitions.keySet().retainAll(assigned);
	}

	void clear() {
		this.partitions.clear();
	}

	boolean contains(TopicPartition partition) {
		return this.partitions.containsKey(partition);
	}

	void advance(TopicPartition partition, long nextOffset) {
		Offsets offsets = this.partitions.get(partition);
		if (offsets != null) {
			offsets.position = nextOffset;
		}
	}

	/**
	 * The position of a partition: the next offset to process.
	 * @param partition the partition
	 * @return the position, or {@code -1} when the partition is not known
	 */
	long position(TopicPartition partition) {
		Offsets offsets = this.partitions.get(partition);
		return (offsets != null) ? offsets.position : -1;
	}

	/**
	 * The offset of the last checkpoint of a partition.
	 * @param partition the partition
	 * @return the offset, or {@code -1} when the partition is not known or not
	 * checkpointed yet
	 */
	long committed(TopicPartition partition) {
		Offsets offsets = this.partitions.get(partition);
		return (offsets != null) ? offsets.committed : -1;
	}

	/**
	 * Where reading a partition began in this assignment.
	 * @param partition the partition
	 * @return the offset, or {@code -1} when the partition is not known
	 */
	long startOffset(TopicPartition partition) {
		Offsets offsets = this.partitions.get(partition);
		return (offsets != null) ? offsets.start : -1;
	}

	/**
	 * The offsets to commit: the position of every partition that moved since the last
	 * checkpoint.
	 * @param checkpointId the checkpoint the commit belongs to
	 * @return the offsets, with the checkpoint id as metadata
	 */
	Map<TopicPartition, OffsetAndMetadata> uncommitted(long checkpointId) {
		return uncommitted(checkpointId, (partition) -> null);
	}

	/**
	 * The offsets to commit: the position of every partition that moved since the last
	 * checkpoint, and of every partition whose stop the committed offset does not carry
	 * yet, even if it did not move.
	 * @param checkpointId the checkpoint the commit belongs to
	 * @param stops the stop to commit with each partition, {@code null} for none
	 * @return the offsets, with the checkpoint id and the stop as metadata
	 */
	Map<TopicPartition, OffsetAndMetadata> uncommitted(long checkpointId,
			Function<TopicPartition, @Nullable Stop> stops) {
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		this.partitions.forEach((partition, state) -> {
			Stop stop = stops.apply(partition);
			if (state.position != state.committed || (stop != null && !stop.equals(state.committedStop))) {
				String metadata = (stop != null) ? CheckpointMetadata.of(checkpointId, stop)
						: CheckpointMetadata.of(checkpointId);
				offsets.put(partition, new OffsetAndMetadata(state.position, metadata));
			}
		});
		return offsets;
	}

	/**
	 * Records a commit.
	 * @param committed the offsets committed
	 * @return whether any partition's checkpoint moved
	 */
	boolean markCommitted(Map<TopicPartition, OffsetAndMetadata> committed) {
		boolean moved = false;
		for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
			Offsets offsets = this.partitions.get(entry.getKey());
			if (offsets != null) {
				moved |= offsets.committed != entry.getValue().offset();
				offsets.committed = entry.getValue().offset();
				offsets.committedStop = CheckpointMetadata.stop(entry.getValue().metadata());
				offsets.committedBy = CheckpointMetadata.checkpointId(entry.getValue().metadata());
			}
		}
		return moved;
	}

	Map<TopicPartition, Long> committedOffsets() {
		Map<TopicPartition, Long> offsets = new HashMap<>();
		this.partitions.forEach((partition, state) -> {
			if (state.committed != NOT_COMMITTED) {
				offsets.put(partition, state.committed);
			}
		});
		return offsets;
	}

	/**
	 * Notes that records of a partition were handled.
	 * @param partition the partition
	 * @param timestamp the timestamp of the last of them
	 * @param time when they were handled, in epoch milliseconds
	 */
	void handled(TopicPartition partition, long timestamp, long time) {
		Offsets offsets = this.partitions.get(partition);
		if (offsets != null) {
			offsets.lastRecordTimestamp = timestamp;
			offsets.lastRecordTime = time;
		}
	}

	/**
	 * What is known of every partition, for status.
	 * @return the partitions' status
	 */
	Map<TopicPartition, WorkerStatus.PartitionStatus> statuses() {
		Map<TopicPartition, WorkerStatus.PartitionStatus> statuses = new HashMap<>();
		this.partitions.forEach((partition, state) -> statuses.put(partition, state.status()));
		return statuses;
	}

	Map<TopicPartition, Long> positions() {
		Map<TopicPartition, Long> offsets = new HashMap<>();
		this.partitions.forEach((partition, state) -> offsets.put(partition, state.position));
		return offsets;
	}

	private static final class Offsets {

		final long start;

		volatile long position;

		volatile long committed;

		/** The stop the committed offset carries, as far as this worker knows. */
		volatile @Nullable Stop committedStop;

		/** The checkpoint that committed {@link #committed}, {@code -1} when unknown. */
		volatile long committedBy = NOT_COMMITTED;

		/** When a record of the partition was last handled, {@code -1} before the first. */
		volatile long lastRecordTime = -1;

		volatile long lastRecordTimestamp = -1;

		Offsets(long start, long committed) {
			this.start = start;
			this.position = start;
			this.committed = committed;
		}

		WorkerStatus.PartitionStatus status() {
			long committed = this.committed;
			long committedBy = this.committedBy;
			long lastRecordTime = this.lastRecordTime;
			long lastRecordTimestamp = this.lastRecordTimestamp;
			return new WorkerStatus.PartitionStatus(this.position, (committed != NOT_COMMITTED) ? committed : null,
					(committedBy >= 0) ? committedBy : null,
					(lastRecordTime >= 0) ? Instant.ofEpochMilli(lastRecordTime) : null,
					(lastRecordTime >= 0 && lastRecordTimestamp >= 0) ? lastRecordTimestamp : null);
		}

	}

}
