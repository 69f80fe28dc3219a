package dev.kafkastream.sink;

import org.jspecify.annotations.Nullable;

/**
 * Each worker writes to one partition, like Flink's {@code FlinkFixedPartitioner}.
 */
final class FixedPartitioner implements SinkPartitioner {

	static final FixedPartitioner INSTANCE = new FixedPartitioner();

	private FixedPartitioner() {
	}

	@Override
	public int partition(String topic, @Nullable Object key, @Nullable Object value, int workerIndex,
			int partitionCount) {
		return workerIndex % partitionCount;
	}

	@Override
	public String toString() {
		return "fixed";
	}

}
