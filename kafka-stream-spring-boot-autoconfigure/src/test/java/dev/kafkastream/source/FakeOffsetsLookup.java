package dev.kafkastream.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.TopicPartition;

/**
 * An {@link OffsetsLookup} over partitions described in the test: their beginning and
 * end offsets and the timestamps of their records. It records every question, and
 * refuses questions about partitions it does not know, as a test must not ask them.
 */
final class FakeOffsetsLookup implements OffsetsLookup {

	private final Map<TopicPartition, Long> beginning = new HashMap<>();

	private final Map<TopicPartition, Long> end = new HashMap<>();

	private final Map<TopicPartition, TreeMap<Long, Long>> timestamps = new HashMap<>();

	final List<List<TopicPartition>> beginningQueries = new ArrayList<>();

	final List<List<TopicPartition>> endQueries = new ArrayList<>();

	final List<Map<TopicPartition, Long>> timestampQueries = new ArrayList<>();

	/**
	 * Describes a partition holding the offsets from {@code beginning} to {@code end - 1}.
	 * @param partition the partition
	 * @param beginning its earliest offset
	 * @param end its end offset
	 * @return this
	 */
	FakeOffsetsLookup partition(TopicPartition partition, long beginning, long end) {
		this.beginning.put(partition, beginning);
		this.end.put(partition, end);
		this.timestamps.put(partition, new TreeMap<>());
		return this;
	}

	/**
	 * Gives a record of a described partition a timestamp.
	 * @param partition the partition
	 * @param offset the record's offset
	 * @param timestamp its timestamp
	 * @return this
	 */
	FakeOffsetsLookup record(TopicPartition partition, long offset, long timestamp) {
		known(partition);
		this.timestamps.get(partition).put(offset, timestamp);
		return this;
	}

	@Override
	public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
		this.beginningQueries.add(List.copyOf(partitions));
		return lookUp(partitions, this.beginning);
	}

	@Override
	public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
		this.endQueries.add(List.copyOf(partitions));
		return lookUp(partitions, this.end);
	}

	@Override
	public Map<TopicPartition, Long> offsetsForTimes(Map<TopicPartition, Long> query) {
		this.timestampQueries.add(Map.copyOf(query));
		Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
		query.forEach((partition, timestamp) -> {
			known(partition);
			// like Kafka: the earliest offset whose timestamp is at or after the one asked
			this.timestamps.get(partition)
				.entrySet()
				.stream()
				.filter((record) -> record.getValue() >= timestamp)
				.findFirst()
				.ifPresent((record) -> offsets.put(partition, record.getKey()));
		});
		return offsets;
	}

	private Map<TopicPartition, Long> lookUp(Collection<TopicPartition> partitions, Map<TopicPartition, Long> offsets) {
		Map<TopicPartition, Long> result = new LinkedHashMap<>();
		for (TopicPartition partition : partitions) {
			known(partition);
			result.put(partition, offsets.get(partition));
		}
		return result;
	}

	private void known(TopicPartition partition) {
		if (!this.beginning.containsKey(partition)) {
			throw new IllegalArgumentException("The test did not describe " + partition);
		}
	}

}
