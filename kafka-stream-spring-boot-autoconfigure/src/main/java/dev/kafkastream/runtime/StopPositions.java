package dev.kafkastream.runtime;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.kafkastream.checkpoint.CheckpointMetadata;
import dev.kafkastream.checkpoint.CheckpointMetadata.Stop;
import dev.kafkastream.source.OffsetsLookup;
import dev.kafkastream.source.StoppingOffsets;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The stop offset of every partition of a source with stopping offsets, shared by the
 * workers of a pipeline, and which of the partitions they own reached it.
 * <p>
 * When checkpoints commit offsets, a stop is fixed once per run of the consumer group:
 * the first owner of a partition commits it in the metadata of the partition's offset
 * ({@link CheckpointMetadata}), and every later owner, in this instance or another, takes
 * it from there instead of resolving the stopping offsets again, so a stop never moves
 * within a run. Runs are numbered: a run is over when every partition of the
 * subscription carries a stop of the run and a committed offset at or past it. An
 * instance joins the run it finds in the committed offsets, or begins the next one when
 * that run is over.
 * <p>
 * Without committed offsets there is nothing to share: the stops are those this instance
 * resolves, and the source finishes when this instance's workers finished every
 * partition.
 */
final class StopPositions {

	private final StoppingOffsets stoppingOffsets;

	private final boolean shared;

	private final Map<TopicPartition, Stop> stops = new ConcurrentHashMap<>();

	private final Set<TopicPartition> known = ConcurrentHashMap.newKeySet();

	private final Set<TopicPartition> finished = ConcurrentHashMap.newKeySet();

	private volatile long run;

	private volatile boolean overtaken;

	/**
	 * Creates the stop positions of a source.
	 * @param stoppingOffsets where partitions stop
	 * @param shared whether the stops are kept in the group's committed offsets
	 */
	StopPositions(StoppingOffsets stoppingOffsets, boolean shared) {
		this.stoppingOffsets = stoppingOffsets;
		this.shared = shared;
	}

	/**
	 * Joins a run of the group, the first time a worker starts, and fixes the stops of
	 * partitions not seen before. The run is the latest found in the committed offsets
	 * unless it is over; then it is the next one.
	 * @param partitions the partitions the source covers now
	 * @param lookup looks offsets up
	 * @param committed the committed offsets of the partitions, read only when the run is
	 * not chosen yet
	 * @return whether the run was chosen now
	 */
	boolean start(Collection<TopicPartition> partitions, OffsetsLookup lookup,
			Supplier<Map<TopicPartition, OffsetAndMetadata>> committed) {
		boolean chosen = false;
		synchronized (this) {
			if (this.run == 0) {
				this.run = this.shared ? runToJoin(Set.copyOf(partitions), committed.get()) : 1;
				chosen = true;
			}
		}
		resolve(partitions, lookup);
		return chosen;
	}

	/**
	 * The run this instance takes part in.
	 * @return the run, {@code 0} before the first worker started
	 */
	long run() {
		return this.run;
	}

	/**
	 * Fixes the stops of partitions not seen before from the stopping offsets.
	 * @param partitions the partitions
	 * @param lookup looks offsets up
	 */
	void resolve(Collection<TopicPartition> partitions, OffsetsLookup lookup) {
		List<TopicPartition> unknown = partitions.stream().filter((partition) -> !this.stops.containsKey(partition))
			.toList();
		if (!unknown.isEmpty()) {
			long run = this.run;
			this.stoppingOffsets.stopOffsets(unknown, lookup)
				.forEach((partition, offset) -> this.stops.putIfAbsent(partition, new Stop(run, offset)));
		}
		this.known.addAll(partitions);
	}

	/**
	 * Takes the stops found in the committed offsets of partitions: a stop of this run, or
	 * of a later one, replaces the one resolved here; a stop of an earlier run is left
	 * alone. A stop of a later run means that this run is over: another instance found
	 * every partition at its stop and began the next run.
	 * @param committed the committed offsets
	 */
	void adopt(Map<TopicPartition, @Nullable OffsetAndMetadata> committed) {
		committed.forEach((partition, offset) -> {
			Stop stop = (offset != null) ? CheckpointMetadata.stop(offset.metadata()) : null;
			if (stop != null && stop.run() >= this.run) {
				this.stops.put(partition, stop);
				this.known.add(partition);
				if (stop.run() > this.run) {
					this.overtaken = true;
				}
			}
		});
	}

	/**
	 * The stop of a partition.
	 * @param partition the partition
	 * @return the stop, or {@code null} when not resolved yet
	 */
	@Nullable Stop stop(TopicPartition partition) {
		return this.stops.get(partition);
	}

	void finished(TopicPartition partition) {
		this.finished.add(partition);
	}

	/**
	 * Forgets that partitions reached their stop: they were rolled back below it, or
	 * given up to another owner.
	 * @param partitions the partitions
	 */
	void unfinished(Collection<TopicPartition> partitions) {
		this.finished.removeAll(partitions);
	}

	boolean isFinished(TopicPartition partition) {
		return this.finished.contains(partition);
	}

	/**
	 * Whether every partition this instance saw reached its stop in this instance: how a
	 * source without committed offsets finishes.
	 * @return whether all partitions are finished
	 */
	boolean allFinished() {
		return !this.known.isEmpty() && this.finished.containsAll(this.known);
	}

	/**
	 * Whether the run is over for the whole group, from the committed offsets of every
	 * partition the source covers.
	 * @param partitions the partitions the source covers
	 * @param committed their committed offsets
	 * @return whether every partition reached its stop of this run, or a later run began
	 */
	boolean runOver(Set<TopicPartition> partitions, Map<TopicPartition, @Nullable OffsetAndMetadata> committed) {
		if (latestRun(committed) > this.run) {
			this.overtaken = true;
		}
		return this.overtaken || complete(this.run, partitions, committed);
	}

	/**
	 * Whether a partition with a stop of a later run was seen: that run began after this
	 * one was over.
	 * @return whether this run is over
	 */
	boolean overtaken() {
		return this.overtaken;
	}

	Map<TopicPartition, Long> stops() {
		Map<TopicPartition, Long> offsets = new HashMap<>();
		this.stops.forEach((partition, stop) -> offsets.put(partition, stop.offset()));
		return offsets;
	}

	/**
	 * The run an instance starting now joins: the latest run found in the committed
	 * offsets, or the next one when that run is over (or none was found).
	 * @param partitions the partitions the source covers
	 * @param committed their committed offsets
	 * @return the run
	 */
	static long runToJoin(Set<TopicPartition> partitions, Map<TopicPartition, @Nullable OffsetAndMetadata> committed) {
		long latest = latestRun(committed);
		return (latest == 0 || complete(latest, partitions, committed)) ? latest + 1 : latest;
	}

	/**
	 * Whether every partition has a committed offset at or past its stop of a run.
	 * @param run the run
	 * @param partitions the partitions
	 * @param committed their committed offsets
	 * @return whether the run is over
	 */
	static boolean complete(long run, Set<TopicPartition> partitions,
			Map<TopicPartition, @Nullable OffsetAndMetadata> committed) {
		if (partitions.isEmpty()) {
			return false;
		}
		for (TopicPartition partition : partitions) {
			OffsetAndMetadata offset = committed.get(partition);
			Stop stop = (offset != null) ? CheckpointMetadata.stop(offset.metadata()) : null;
			if (offset == null || stop == null || stop.run() != run || offset.offset() < stop.offset()) {
				return false;
			}
		}
		return true;
	}

	private static long latestRun(Map<TopicPartition, @Nullable OffsetAndMetadata> committed) {
		long latest = 0;
		for (OffsetAndMetadata offset : committed.values()) {
			Stop stop = (offset != null) ? CheckpointMetadata.stop(offset.metadata()) : null;
			if (stop != null) {
				latest = Math.max(latest, stop.run());
			}
		}
		return latest;
	}

}
