package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kafkastream.source.KafkaSourceSpec;
import dev.kafkastream.source.OffsetsLookup;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a worker's partitions start and stop: partitions without a checkpoint start from
 * the starting offsets (or from their earliest offset when they appeared after start),
 * positions out of range move into range, and partitions of a source with stopping
 * offsets finish at their stop.
 */
final class PartitionPositions {

	// logs under the worker's category, as these are the worker's events
	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private final String name;

	private final KafkaSourceSpec source;

	private final OwnedPartitions owned;

	private final @Nullable StopPositions stops;

	private final OffsetsLookup lookup;

	private @Nullable Set<TopicPartition> startPartitions;

	PartitionPositions(String name, KafkaSourceSpec source, OwnedPartitions owned, @Nullable StopPositions stops,
			OffsetsLookup lookup) {
		this.name = name;
		this.source = source;
		this.owned = owned;
		this.stops = stops;
		this.lookup = lookup;
	}

	/**
	 * The partitions the source covers now: partitions without a checkpoint among them
	 * start from the starting offsets; partitions that appear later are read from their
	 * earliest offset, so nothing written to them is missed. Stop positions are fixed now
	 * for a source with stopping offsets.
	 * @param consumer the consumer
	 */
	void snapshot(Consumer<byte[], byte[]> consumer) {
		Set<TopicPartition> partitions = this.source.subscription().partitionsIn(consumer.listTopics());
		if (this.stops != null) {
			this.stops.resolve(partitions, this.lookup);
		}
		this.startPartitions = partitions;
	}

	boolean snapshotTaken() {
		return this.startPartitions != null;
	}

	void startWithoutCheckpoint(Consumer<byte[], byte[]> consumer, Set<TopicPartition> partitions) {
		Set<TopicPartition> known = (this.startPartitions != null) ? this.startPartitions : Set.of();
		List<TopicPartition> atStart = new ArrayList<>();
		List<TopicPartition> discovered = new ArrayList<>();
		partitions.forEach((partition) -> (known.contains(partition) ? atStart : discovered).add(partition));
		Map<TopicPartition, Long> offsets = new HashMap<>(
				this.source.startingOffsets().startOffsets(atStart, this.lookup));
		if (!discovered.isEmpty()) {
			offsets.putAll(this.lookup.beginningOffsets(discovered));
		}
		offsets.forEach((partition, offset) -> {
			consumer.seek(partition, offset);
			this.owned.startWithoutCheckpoint(partition, offset);
		});
		logger.info("{} starts partitions without a checkpoint at {} ({}{})", this.name, offsets,
				this.source.startingOffsets(), discovered.isEmpty() ? "" : "; found after start: " + discovered);
	}

	/**
	 * Moves partitions whose position is out of range to the nearest offset in range: the
	 * earliest when the records were deleted (retention), the end when the position lies
	 * past it.
	 * @param consumer the consumer
	 * @param positions the positions out of range
	 */
	void moveIntoRange(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> positions) {
		Map<TopicPartition, Long> earliest = this.lookup.beginningOffsets(positions.keySet());
		Map<TopicPartition, Long> end = this.lookup.endOffsets(positions.keySet());
		positions.forEach((partition, position) -> {
			Long first = earliest.get(partition);
			long target = (first != null && position < first) ? first : end.getOrDefault(partition, position);
			logger.warn("{} cannot read {} at offset {}, which is out of range: it reads on from offset {}{}",
					this.name, partition, position, target,
					(target > position) ? " (" + (target - position) + " records were deleted before they were read)"
							: "");
			consumer.seek(partition, target);
			this.owned.startWithoutCheckpoint(partition, target);
		});
	}

	@Nullable Long stopOf(TopicPartition partition) {
		StopPositions stops = this.stops;
		if (stops == null) {
			return null;
		}
		Long stop = stops.stop(partition);
		if (stop == null) {
			stops.resolve(List.of(partition), this.lookup);
			stop = stops.stop(partition);
		}
		return stop;
	}

	/**
	 * Marks partitions whose position reached their stop as finished and pauses them. The
	 * position counts, not the records: a partition that ends with a transaction marker or
	 * an aborted batch finishes too.
	 * @param consumer the consumer
	 */
	void finishPartitionsAtTheirStop(Consumer<byte[], byte[]> consumer) {
		StopPositions stops = this.stops;
		if (stops == null) {
			return;
		}
		for (TopicPartition partition : consumer.assignment()) {
			if (stops.isFinished(partition) && consumer.paused().contains(partition)) {
				continue;
			}
			Long stop = stopOf(partition);
			if (stop == null) {
				continue;
			}
			long position;
			try {
				position = consumer.position(partition, Duration.ZERO);
			}
			catch (TimeoutException | NoOffsetForPartitionException ex) {
				continue;
			}
			if (position >= stop) {
				this.owned.startIfUnknown(partition, position);
				if (this.owned.position(partition) < position) {
					// only transaction markers or aborted records lie in between
					this.owned.advance(partition, position);
				}
				finish(consumer, partition);
			}
		}
	}

	void finish(Consumer<byte[], byte[]> consumer, TopicPartition partition) {
		consumer.pause(List.of(partition));
		if (this.stops != null && !this.stops.isFinished(partition)) {
			this.stops.finished(partition);
			logger.info("{} reached the stopping offset of {}", this.name, partition);
		}
	}

}
