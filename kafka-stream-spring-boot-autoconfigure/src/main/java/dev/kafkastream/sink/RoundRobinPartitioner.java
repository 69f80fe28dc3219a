package dev.kafkastream.sink;

import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Spreads records over the partitions one after the other. One counter serves every
 * topic and worker of the sink, so records are spread evenly over all of them together.
 */
final class RoundRobinPartitioner implements SinkPartitioner {

	private final AtomicInteger next = new AtomicInteger();

	@Override
	public int partition(String topic, @Nullable Object key, @Nullable Object value, int workerIndex,
			int partitionCount) {
		return Math.floorMod(this.next.getAndIncrement(), partitionCount);
	}

	@Override
	public String toString() {
		return "round-robin";
	}

}
