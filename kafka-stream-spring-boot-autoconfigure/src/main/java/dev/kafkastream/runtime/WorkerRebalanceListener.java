package dev.kafkastream.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints a worker's partitions before they are revoked and throws away what was
 * written for partitions that were lost. Runs on the worker's thread, inside
 * {@code poll}, and makes no blocking call but the commit.
 * <p>
 * A revocation commits everything the worker processed, the kept partitions too, as
 * the open transaction holds the output of all of them. If that commit fails, or a
 * rollback is pending already, the transaction is thrown away and the kept partitions
 * roll back with it: the worker commits nothing until then.
 */
final class WorkerRebalanceListener implements ConsumerRebalanceListener {

	// logs under the worker's category, as these are the worker's events
	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private final String name;

	private final Consumer<byte[], byte[]> consumer;

	private final CheckpointCommitter committer;

	private final OwnedPartitions owned;

	private final java.util.function.Consumer<Collection<TopicPartition>> released;

	private final LongSupplier checkpointId;

	private final Set<TopicPartition> newlyAssigned = new HashSet<>();

	private boolean closing;

	/** Whether a revocation commits nothing: the worker holds processing after its start. */
	private boolean commitsHeld;

	/** Whether a rebalance gave this worker its partitions (possibly none) yet. */
	private boolean joined;

	/** Whether the assignment changed since {@link #takeAssignmentChanged()}. */
	private boolean assignmentChanged;

	/**
	 * Creates a listener.
	 * @param name the worker's name
	 * @param consumer the worker's consumer
	 * @param committer commits and throws away the worker's progress
	 * @param owned the worker's partitions
	 * @param released told of partitions revoked or lost, after the worker let them go
	 * @param checkpointId the id a revocation commit is made under: the last checkpoint
	 * the worker handled
	 */
	WorkerRebalanceListener(String name, Consumer<byte[], byte[]> consumer, CheckpointCommitter committer,
			OwnedPartitions owned, java.util.function.Consumer<Collection<TopicPartition>> released,
			LongSupplier checkpointId) {
		this.name = name;
		this.consumer = consumer;
		this.committer = committer;
		this.owned = owned;
		this.released = released;
		this.checkpointId = checkpointId;
	}

	@Override
	public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
		if (partitions.isEmpty()) {
			return;
		}
		if (!this.closing && !this.commitsHeld && !this.committer.rollbackPending()) {
			try {
				this.committer.commit(this.consumer, this.checkpointId.getAsLong());
			}
			catch (CommitDeferredException ex) {
				logger.info("{} could not checkpoint {} before they were revoked; their new owner reads them again from"
						+ " their last checkpoint ({})", this.name, partitions, ex.getCause().toString());
			}
			catch (RuntimeException ex) {
				logger.warn("{} could not checkpoint {} before they were revoked; they will be read again from their"
						+ " last checkpoint, and the partitions it keeps roll back to theirs", this.name, partitions,
						ex);
				this.committer.throwAway();
			}
		}
		this.owned.remove(partitions);
		this.released.accept(partitions);
		this.assignmentChanged = true;
	}

	@Override
	public void onPartitionsLost(Collection<TopicPartition> partitions) {
		if (!this.closing) {
			logger.warn("{} lost {}; rolling back to the last checkpoint", this.name, partitions);
			this.committer.throwAway();
		}
		this.owned.remove(partitions);
		this.released.accept(partitions);
		this.assignmentChanged = true;
	}

	@Override
	public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
		// called after every rebalance this worker took part in, with no partitions too
		this.joined = true;
		this.assignmentChanged = true;
		if (!partitions.isEmpty()) {
			this.newlyAssigned.addAll(partitions);
			logger.info("{} assigned {}", this.name, partitions);
		}
	}

	/**
	 * The partitions assigned since the last call.
	 * @return the partitions, possibly empty
	 */
	List<TopicPartition> takeNewlyAssigned() {
		if (this.newlyAssigned.isEmpty()) {
			return List.of();
		}
		List<TopicPartition> assigned = new ArrayList<>(this.newlyAssigned);
		this.newlyAssigned.clear();
		return assigned;
	}

	/**
	 * Whether a rebalance gave the worker its partitions yet, possibly none.
	 * @return whether the worker joined its group
	 */
	boolean joined() {
		return this.joined;
	}

	/**
	 * Whether the assignment changed since the last call.
	 * @return whether partitions were assigned, revoked or lost
	 */
	boolean takeAssignmentChanged() {
		boolean changed = this.assignmentChanged;
		this.assignmentChanged = false;
		return changed;
	}

	/**
	 * Stops checkpointing on revocation: the worker is closing its consumer, after its
	 * final checkpoint or without one.
	 */
	void closing() {
		this.closing = true;
	}

	/**
	 * Makes revocations commit nothing, or commit again: a worker holding processing after
	 * its start only positioned its partitions, and its start commits nothing.
	 * @param held whether revocations commit nothing
	 */
	void holdCommits(boolean held) {
		this.commitsHeld = held;
	}

}
