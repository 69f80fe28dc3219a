package dev.kafkastream.runtime;

import java.util.List;

import dev.kafkastream.sink.TransactionalIds;
import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Chooses the transactional id of a worker's exactly-once producer. A worker of a
 * consumer group is fenced by the group metadata of the offsets it commits, so its id
 * only has to be stable per instance. A worker reading explicit partitions has no group
 * to fence it: its id is that of its partitions, shared by every instance configured to
 * read them, so that a second reader fences the first instead of committing the same
 * records again.
 */
final class WorkerTransactionalIds {

	private WorkerTransactionalIds() {
	}

	static String of(String prefix, String instanceId, KafkaSourceSpec source, int worker) {
		List<TopicPartition> explicit = source.explicitPartitionsOf(worker);
		return explicit.isEmpty() ? TransactionalIds.of(prefix, instanceId, source.name(), worker)
				: TransactionalIds.ofPartitions(prefix, source.name(), explicit);
	}

}
