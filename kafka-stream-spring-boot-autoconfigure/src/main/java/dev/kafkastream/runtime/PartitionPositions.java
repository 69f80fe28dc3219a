package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kafkastream.checkpoint.CheckpointMetadata.Stop;
import dev.kafkastream.source.KafkaSourceSpec;
import dev.kafkastream.source.OffsetsLookup;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a worker's partitions start and stop: partitions without a checkpoint start from
 * the starting offsets (or from their earliest offset when they appeared after start),
 * positions out of range move into range, and partitions of a source with stopping
 * offsets finish at their stop. A partition's stop is taken from its committed offset
 * when an earlier owner fixed it there (see {@link StopPositions}); a worker whose
 * partitions all reached their stop finishes when every partition of the group did.
 */
final class PartitionPositions {

	// logs under the worker's category, as these are the worker's events
	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	/** Longest time a finished worker waits for the group's committed offsets at a checkpoint. */
	private static final Duration GROUP_CHECK_TIMEOUT = Duration.ofSeconds(5);

	private final String name;

	private final KafkaSourceSpec source;

	private final OwnedPartitions owned;

	private final @Nullable StopPositions stops;

	private final Consumer<byte[], byte[]> consumer;

	private final OffsetsLookup lookup;

	/** Partitions whose stop was checked against their committed offset since they were assigned. */
	private final Set<TopicPartition> verified = new HashSet<>();

	private @Nullable Set<TopicPartition> startPartitions;

	PartitionPositions(String name, KafkaSourceSpec source, OwnedPartitions owned, @Nullable StopPositions stops,
			Consumer<byte[], byte[]> consumer) {
		this.name = name;
		this.source = source;
		this.owned = owned;
		this.stops = stops;
		this.consumer = consumer;
		this.lookup = new ConsumerOffsetsLookup(consumer);
	}

	/**
	 * The partitions the source covers now: partitions without a checkpoint among them
	 * start from the starting offsets; partitions that appear later are read from their
	 * earliest offset, so nothing written to them is missed. For a source with stopping
	 * offsets, the first worker of the pipeline chooses the run of the group to join, and
	 * stop positions are fixed now unless an earlier owner fixed them.
	 * @param consumer the consumer
	 */
	void snapshot(Consumer<byte[], byte[]> consumer) {
		Set<TopicPartition> partitions = this.source.subscription().partitionsIn(consumer.listTopics());
		if (this.stops != null) {
			if (this.stops.start(partitions, this.lookup, () -> consumer.committed(partitions))
					&& this.source.commitOffsets()) {
				logger.info("{} reads run {} of its group: up to the stops committed by the first owner of each"
						+ " partition", this.name, this.stops.run());
			}
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
		// without a committed offset, no earlier owner fixed their stop
		this.verified.addAll(offsets.keySet());
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
		// the next checkpoint commits them: with the stop an earlier owner fixed
		verify(positions.keySet());
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

	/**
	 * The stop of a partition: the one an earlier owner fixed in its committed offset, or
	 * else the one the stopping offsets give.
	 * @param partition the partition
	 * @return the first offset not to read, or {@code null} without stopping offsets
	 */
	@Nullable Long stopOf(TopicPartition partition) {
		StopPositions stops = this.stops;
		if (stops == null) {
			return null;
		}
		if (!this.verified.contains(partition)) {
			Set<TopicPartition> partitions = new HashSet<>(this.consumer.assignment());
			partitions.add(partition);
			verify(partitions);
		}
		Stop stop = stops.stop(partition);
		if (stop == null) {
			stops.resolve(List.of(partition), this.lookup);
			stop = stops.stop(partition);
		}
		return (stop != null) ? stop.offset() : null;
	}

	/**
	 * The stop to commit with a partition's offset, so that later owners stop there too.
	 * @param partition the partition
	 * @return the stop, or {@code null} when there is none to commit (yet)
	 */
	@Nullable Stop stopToCommit(TopicPartition partition) {
		StopPositions stops = this.stops;
		if (stops == null || !this.source.commitOffsets() || !this.verified.contains(partition)) {
			return null;
		}
		return stops.stop(partition);
	}

	/**
	 * Takes the stops earlier owners fixed in the committed offsets of partitions not
	 * checked since they were assigned.
	 * @param partitions the partitions
	 */
	private void verify(Collection<TopicPartition> partitions) {
		StopPositions stops = this.stops;
		List<TopicPartition> unverified = partitions.stream()
			.filter((partition) -> !this.verified.contains(partition))
			.toList();
		if (stops == null || unverified.isEmpty()) {
			return;
		}
		if (this.source.commitOffsets()) {
			Map<TopicPartition, OffsetAndMetadata> committed = this.consumer.committed(Set.copyOf(unverified));
			stops.adopt(committed);
		}
		this.verified.addAll(unverified);
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
		PartitionPauses.pause(consumer, List.of(partition));
		if (this.stops != null && !this.stops.isFinished(partition)) {
			this.stops.finished(partition);
			logger.info("{} reached the stopping offset of {}", this.name, partition);
		}
	}

	/**
	 * After a rollback: partitions rolled back below their stop are no longer finished and
	 * read on; paused partitions still at their stop stay paused.
	 * @param consumer the consumer
	 */
	void rolledBack(Consumer<byte[], byte[]> consumer) {
		StopPositions stops = this.stops;
		if (stops == null) {
			return;
		}
		List<TopicPartition> belowStop = new ArrayList<>();
		for (TopicPartition partition : consumer.assignment()) {
			Stop stop = stops.stop(partition);
			long position = this.owned.position(partition);
			if (stop == null || position < 0 || position < stop.offset()) {
				belowStop.add(partition);
			}
		}
		if (belowStop.stream().anyMatch(stops::isFinished)) {
			logger.info("{} rolled back below the stopping offset of {}: reading them again", this.name,
					belowStop.stream().filter(stops::isFinished).toList());
		}
		stops.unfinished(belowStop);
		Set<TopicPartition> resume = new HashSet<>(consumer.paused());
		resume.removeIf(stops::isFinished);
		PartitionPauses.resume(consumer, resume);
	}

	/**
	 * Partitions revoked or lost: their next owner decides whether they are finished, and
	 * checks their stop when they come back.
	 * @param partitions the partitions
	 */
	void released(Collection<TopicPartition> partitions) {
		if (this.stops != null) {
			this.stops.unfinished(partitions);
		}
		this.verified.removeAll(partitions);
	}

	/**
	 * Whether the worker is done with a bounded source: every partition it owns reached
	 * its stop and was committed there, and so did every partition of the group (read
	 * from the group's committed offsets). A worker without partitions is done with the
	 * group. Without committed offsets, whether this instance finished every partition.
	 * @param consumer the consumer
	 * @return whether the worker can finish
	 */
	boolean runFinished(Consumer<byte[], byte[]> consumer) {
		StopPositions stops = this.stops;
		if (stops == null || !this.source.bounded()) {
			return false;
		}
		if (!this.source.commitOffsets()) {
			return stops.allFinished();
		}
		if (stops.overtaken()) {
			return true;
		}
		for (TopicPartition partition : consumer.assignment()) {
			Stop stop = stops.stop(partition);
			if (stop == null || !stops.isFinished(partition) || this.owned.committed(partition) < stop.offset()) {
				return false;
			}
		}
		try {
			Set<TopicPartition> partitions = this.source.subscription()
				.partitionsIn(consumer.listTopics(GROUP_CHECK_TIMEOUT));
			return stops.runOver(partitions, consumer.committed(partitions, GROUP_CHECK_TIMEOUT));
		}
		catch (RuntimeException ex) {
			logger.debug("{} could not read the committed offsets of its group; checking again at the next"
					+ " checkpoint", this.name, ex);
			return false;
		}
	}

}
