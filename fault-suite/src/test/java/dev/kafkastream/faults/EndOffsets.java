package dev.kafkastream.faults;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * End offsets of a scenario's topics, read through the broker's own listener.
 */
final class EndOffsets {

	private EndOffsets() {
	}

	/**
	 * Whether a transaction is open on the output: on some partition the
	 * {@code read_committed} end offset is below the raw end offset.
	 * @param cluster the cluster
	 * @param topic the output topic
	 * @return whether one is open
	 */
	static boolean openTransaction(FaultCluster cluster, String topic) {
		return !of(cluster, topic, IsolationLevel.READ_COMMITTED).equals(of(cluster, topic, IsolationLevel.READ_UNCOMMITTED));
	}

	/**
	 * The end offsets of every partition of a topic.
	 * @param cluster the cluster
	 * @param topic the topic
	 * @param isolation {@code READ_COMMITTED} for the last stable offsets
	 * @return the offsets
	 */
	static Map<TopicPartition, Long> of(FaultCluster cluster, String topic, IsolationLevel isolation) {
		Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
		for (int partition = 0; partition < FaultScenario.PARTITIONS; partition++) {
			latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
		}
		try {
			return cluster.admin()
				.listOffsets(latest, new ListOffsetsOptions(isolation))
				.all()
				.get()
				.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot read the end offsets of " + topic, ex.getCause());
		}
	}

}
