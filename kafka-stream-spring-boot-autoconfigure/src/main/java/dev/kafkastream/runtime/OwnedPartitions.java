package dev.kafkastream.runtime;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.kafkastream.checkpoint.CheckpointMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions a worker owns, with for each the position reached by the handler (the
 * next offset to process) and the offset of the last checkpoint. Written only by the
 * worker's thread; read by anyone for status.
 */
final class OwnedPartitions {

	private final Map<TopicPartition, Offsets> partitions = new ConcurrentHashMap<>();

	void assign(TopicPartition partition, long startOffset) {
		this.partitions.put(partition, new Offsets(startOffset));
	}

	void remove(Collection<TopicPartition> removed) {
		removed.forEach(this.partitions::remove);
	}

	void clear() {
		this.partitions.clear();
	}

	Collection<TopicPartition> partitions() {
		return this.partitions.keySet();
	}

	boolean isEmpty() {
		return this.partitions.isEmpty();
	}

	void advance(TopicPartition partition, long nextOffset) {
		Offsets offsets = this.partitions.get(partition);
		if (offsets != null) {
			offsets.position = nextOffset;
		}
	}

	/**
	 * Sets the position of a partition back to where it was checkpointed.
	 * @param partition the partition
	 * @param committed the committed offset
	 */
	void rewind(TopicPartition partition, long committed) {
		Offsets offsets = this.partitions.get(partition);
		if (offsets != null) {
			offsets.position = committed;
			offsets.committed = committed;
		}
	}

	long committed(TopicPartition partition) {
		Offsets offsets = this.partitions.get(partition);
		return (offsets != null) ? offsets.committed : -1;
	}

	/**
	 * The offsets to commit: the position of every partition that moved since the last
	 * checkpoint.
	 * @param checkpointId the checkpoint the commit belongs to
	 * @return the offsets, with the checkpoint id as metadata
	 */
	Map<TopicPartition, OffsetAndMetadata> uncommitted(long checkpointId) {
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		String metadata = CheckpointMetadata.of(checkpointId);
		this.partitions.forEach((partition, state) -> {
			if (state.position != state.committed) {
				offsets.put(partition, new OffsetAndMetadata(state.position, metadata));
			}
		});
		return offsets;
	}

	void markCommitted(Map<TopicPartition, OffsetAndMetadata> committed) {
		committed.forEach((partition, offset) -> {
			Offsets offsets = this.partitions.get(partition);
			if (offsets != null) {
				offsets.committed = offset.offset();
			}
		});
	}

	Map<TopicPartition, Long> committedOffsets() {
		Map<TopicPartition, Long> offsets = new HashMap<>();
		this.partitions.forEach((partition, state) -> offsets.put(partition, state.committed));
		return offsets;
	}

	Map<TopicPartition, Long> positions() {
		Map<TopicPartition, Long> offsets = new HashMap<>();
		this.partitions.forEach((partition, state) -> offsets.put(partition, state.position));
		return offsets;
	}

	private static final class Offsets {

		volatile long position;

		volatile long committed;

		Offsets(long start) {
			this.position = start;
			this.committed = start;
		}

	}

}
