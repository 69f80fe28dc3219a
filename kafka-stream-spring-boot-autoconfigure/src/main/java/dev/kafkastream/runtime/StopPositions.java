package dev.kafkastream.runtime;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.kafkastream.source.OffsetsLookup;
import dev.kafkastream.source.StoppingOffsets;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The stop offset of every partition of a source with stopping offsets, shared by its
 * workers. A partition's stop is fixed the first time any worker sees the partition,
 * normally at start, so a rebalance never moves it; and which partitions reached their
 * stop.
 */
final class StopPositions {

	private final StoppingOffsets stoppingOffsets;

	private final Map<TopicPartition, Long> stops = new ConcurrentHashMap<>();

	private final Set<TopicPartition> known = ConcurrentHashMap.newKeySet();

	private final Set<TopicPartition> finished = ConcurrentHashMap.newKeySet();

	StopPositions(StoppingOffsets stoppingOffsets) {
		this.stoppingOffsets = stoppingOffsets;
	}

	/**
	 * Fixes the stops of partitions not seen before.
	 * @param partitions the partitions
	 * @param lookup looks offsets up
	 */
	void resolve(Collection<TopicPartition> partitions, OffsetsLookup lookup) {
		List<TopicPartition> unknown = partitions.stream().filter((partition) -> !this.stops.containsKey(partition))
			.toList();
		if (!unknown.isEmpty()) {
			this.stoppingOffsets.stopOffsets(unknown, lookup).forEach(this.stops::putIfAbsent);
		}
		this.known.addAll(partitions);
	}

	/**
	 * The stop of a partition.
	 * @param partition the partition
	 * @return the first offset not to read, or {@code null} when not resolved yet
	 */
	@Nullable Long stop(TopicPartition partition) {
		return this.stops.get(partition);
	}

	void finished(TopicPartition partition) {
		this.finished.add(partition);
	}

	boolean isFinished(TopicPartition partition) {
		return this.finished.contains(partition);
	}

	/**
	 * Whether every partition seen reached its stop.
	 * @return whether all partitions are finished
	 */
	boolean allFinished() {
		return !this.known.isEmpty() && this.finished.containsAll(this.known);
	}

	Map<TopicPartition, Long> stops() {
		return Map.copyOf(this.stops);
	}

}
