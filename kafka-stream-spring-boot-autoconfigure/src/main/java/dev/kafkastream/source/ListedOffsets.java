package dev.kafkastream.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets given for some partitions, with a rule for the others.
 */
final class ListedOffsets {

	private ListedOffsets() {
	}

	/**
	 * The listed offset of each partition, or what the rule gives partitions not listed.
	 * @param listed the listed offsets
	 * @param partitions the partitions
	 * @param unlisted the rule for partitions not listed
	 * @return the offset of every partition
	 */
	static Map<TopicPartition, Long> of(Map<TopicPartition, Long> listed, Collection<TopicPartition> partitions,
			Function<List<TopicPartition>, Map<TopicPartition, Long>> unlisted) {
		Map<TopicPartition, Long> offsets = new HashMap<>();
		List<TopicPartition> others = new ArrayList<>();
		for (TopicPartition partition : partitions) {
			Long offset = listed.get(partition);
			if (offset != null) {
				offsets.put(partition, offset);
			}
			else {
				others.add(partition);
			}
		}
		if (!others.isEmpty()) {
			offsets.putAll(unlisted.apply(others));
		}
		return offsets;
	}

	/**
	 * The partitions of the given topics in cluster metadata.
	 * @param infos the partitions of the topics
	 * @return the partitions
	 */
	static List<TopicPartition> partitions(Collection<PartitionInfo> infos) {
		return infos.stream().map((info) -> new TopicPartition(info.topic(), info.partition())).toList();
	}

}
