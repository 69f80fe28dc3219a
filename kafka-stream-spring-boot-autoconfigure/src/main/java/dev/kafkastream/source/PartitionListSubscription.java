package dev.kafkastream.source;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Assigns explicit partitions to the workers, round robin, without group rebalancing.
 */
record PartitionListSubscription(List<TopicPartition> partitions) implements Subscription {

	PartitionListSubscription {
		if (partitions.isEmpty()) {
			throw new IllegalArgumentException("A partition subscription needs at least one partition");
		}
	}

	@Override
	public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener listener, int worker, int workers) {
		consumer.assign(partitionsOf(worker, workers));
	}

	/**
	 * The partitions one worker reads: every {@code workers}-th partition, from the
	 * worker's index.
	 * @param worker the index of the worker
	 * @param workers the number of workers of the source
	 * @return the partitions
	 */
	List<TopicPartition> partitionsOf(int worker, int workers) {
		List<TopicPartition> mine = new ArrayList<>();
		for (int i = worker; i < this.partitions.size(); i += workers) {
			mine.add(this.partitions.get(i));
		}
		return mine;
	}

	@Override
	public Set<TopicPartition> partitionsIn(Map<String, List<PartitionInfo>> topics) {
		return new LinkedHashSet<>(this.partitions);
	}

	@Override
	public List<String> missingIn(Map<String, List<PartitionInfo>> topics) {
		List<String> missing = new ArrayList<>();
		for (TopicPartition partition : this.partitions) {
			List<PartitionInfo> infos = topics.get(partition.topic());
			if (infos == null) {
				missing.add("topic '" + partition.topic() + "'");
			}
			else if (infos.stream().noneMatch((info) -> info.partition() == partition.partition())) {
				missing.add("partition " + partition.partition() + " of topic '" + partition.topic() + "' (it has "
						+ infos.size() + ")");
			}
		}
		return missing.stream().distinct().toList();
	}

	@Override
	public boolean usesGroup() {
		return false;
	}

	@Override
	public String toString() {
		return "partitions " + this.partitions;
	}

}
