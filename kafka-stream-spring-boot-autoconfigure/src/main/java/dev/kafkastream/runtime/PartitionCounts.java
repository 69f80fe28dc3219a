package dev.kafkastream.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.PartitionInfo;
import org.jspecify.annotations.Nullable;

/**
 * The partition count of the topics one worker writes to, for its sink's partitioner.
 * Counts are asked of the producer (which answers from its metadata) at most every
 * {@link #REFRESH_NANOS}, so partitions added to a topic are used soon; the topic written
 * last is answered without a map lookup. Not thread-safe: one per worker.
 */
final class PartitionCounts {

	static final long REFRESH_NANOS = 30_000_000_000L;

	private final Map<String, Count> counts = new HashMap<>();

	private @Nullable String lastTopic;

	private @Nullable Count last;

	int count(Producer<byte[], byte[]> producer, String topic) {
		Count count = topic.equals(this.lastTopic) ? this.last : this.counts.get(topic);
		long now = System.nanoTime();
		if (count == null || now - count.askedAt() > REFRESH_NANOS) {
			List<PartitionInfo> partitions = producer.partitionsFor(topic);
			if (partitions == null || partitions.isEmpty()) {
				throw new IllegalStateException("Topic '" + topic + "' has no partitions");
			}
			count = new Count(partitions.size(), now);
			this.counts.put(topic, count);
		}
		this.lastTopic = topic;
		this.last = count;
		return count.partitions();
	}

	private record Count(int partitions, long askedAt) {

	}

}
