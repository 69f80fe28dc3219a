package dev.kafkastream.sink;

import java.util.Collection;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;

/**
 * Builds the transactional ids of exactly-once producers. A worker of a consumer group
 * has {@code <prefix>-<instance-id>-<source>-<worker>}: the same at every start of the
 * same instance, so {@code initTransactions()} aborts whatever a crashed incarnation left
 * open, and fencing between instances comes from the group metadata of the offsets it
 * commits. A worker reading explicit partitions, without a group, has
 * {@code <prefix>-<source>-partitions-<topic>-<partition>,...}: the same in every instance
 * configured to read those partitions, so such instances fence each other instead of both
 * committing the same records.
 */
public final class TransactionalIds {

	private TransactionalIds() {
	}

	/**
	 * The transactional id of one worker of a consumer group.
	 * @param prefix the sink's transactional id prefix
	 * @param instanceId the id of the application instance
	 * @param source the name of the source the worker reads
	 * @param worker the index of the worker in its source
	 * @return the transactional id
	 */
	public static String of(String prefix, String instanceId, String source, int worker) {
		return prefix + "-" + instanceId + "-" + source + "-" + worker;
	}

	/**
	 * The transactional id of a worker reading explicit partitions, whatever the instance:
	 * {@code <prefix>-<source>-partitions-<topic>-<partition>,...}, partitions in order.
	 * @param prefix the sink's transactional id prefix
	 * @param source the name of the source the worker reads
	 * @param partitions the partitions the worker reads
	 * @return the transactional id
	 */
	public static String ofPartitions(String prefix, String source, Collection<TopicPartition> partitions) {
		return partitions.stream()
			.sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
			.map(TopicPartition::toString)
			.collect(Collectors.joining(",", prefix + "-" + source + "-partitions-", ""));
	}

	/**
	 * The transactional id of the producer application code sends through with a
	 * {@link KafkaStreamSink}: {@code <prefix>-<instance-id>-sink-<sink>}.
	 * @param prefix the sink's transactional id prefix
	 * @param instanceId the id of the application instance
	 * @param sink the name of the sink
	 * @return the transactional id
	 */
	public static String ofSink(String prefix, String instanceId, String sink) {
		return prefix + "-" + instanceId + "-sink-" + sink;
	}

	/**
	 * The transactional ids of the workers of a source, in every instance and with any
	 * concurrency: those of {@link #of} and {@link #ofPartitions}.
	 * @param prefix the sink's transactional id prefix
	 * @param source the name of the source
	 * @return the pattern of the ids
	 */
	public static Pattern ofAnyWorker(String prefix, String source) {
		return Pattern.compile(Pattern.quote(prefix + "-") + ".+" + Pattern.quote("-" + source + "-") + "\\d+" + "|"
				+ Pattern.quote(prefix + "-" + source + "-partitions-") + ".+");
	}

	/**
	 * The transactional ids of the producers application code sends through with a sink,
	 * in every instance: those of {@link #ofSink}.
	 * @param prefix the sink's transactional id prefix
	 * @param sink the name of the sink
	 * @return the pattern of the ids
	 */
	public static Pattern ofSinkInAnyInstance(String prefix, String sink) {
		return Pattern.compile(Pattern.quote(prefix + "-") + ".+" + Pattern.quote("-sink-" + sink));
	}

}
