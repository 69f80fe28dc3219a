package dev.kafkastream.runtime;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.PartitionInfo;
import org.jspecify.annotations.Nullable;

/**
 * The partition count of the topics a sink writer writes to, for its sink's partitioner.
 * Counts are asked of the producer (which answers from its metadata) at most every
 * {@link #REFRESH_NANOS}, so partitions added to a topic are used soon; the topic written
 * last is answered without a map lookup.
 * <p>
 * Safe for concurrent use without a lock, as the application threads sending through a
 * {@link StandaloneSink} need: each count is an immutable value that carries its topic,
 * so the one remembered last is read whole or not at all, and the map is concurrent.
 * A worker, the only thread of its writer, pays nothing for it: no lock, no volatile
 * write, and the map is read only when the topic changes.
 */
final class PartitionCounts {

	static final long REFRESH_NANOS = 30_000_000_000L;

	private final Map<String, Count> counts = new ConcurrentHashMap<>();

	/**
	 * The count asked last. A plain field: a thread may see an older count, never a
	 * count of one topic paired with another topic's name.
	 */
	private @Nullable Count last;

	int count(Producer<byte[], byte[]> producer, String topic) {
		Count last = this.last;
		Count count = (last != null && topic.equals(last.topic())) ? last : this.counts.get(topic);
		long now = System.nanoTime();
		if (count == null || now - count.askedAt() > REFRESH_NANOS) {
			List<PartitionInfo> partitions = producer.partitionsFor(topic);
			if (partitions == null || partitions.isEmpty()) {
				throw new IllegalStateException("Topic '" + topic + "' has no partitions");
			}
			count = new Count(topic, partitions.size(), now);
			this.counts.put(topic, count);
		}
		if (count != last) {
			this.last = count;
		}
		return count.partitions();
	}

	/**
	 * The partition count of a topic and when it was asked.
	 *
	 * @param topic the topic
	 * @param partitions its partition count
	 * @param askedAt when it was asked, in {@link System#nanoTime()}
	 */
	private record Count(String topic, int partitions, long askedAt) {

	}

}
