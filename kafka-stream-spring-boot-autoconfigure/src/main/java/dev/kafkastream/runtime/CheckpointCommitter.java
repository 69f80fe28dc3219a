package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointMetadata;
import dev.kafkastream.core.DeliveryGuarantee;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one worker makes its progress durable and how it goes back: the delivery guarantee's
 * protocol in one place.
 * <ul>
 * <li>A checkpoint commits the position every partition reached. Exactly-once puts the
 * offsets into the producer's transaction, with the consumer's group metadata so a
 * zombie of an older generation is fenced, and commits it: the output of the interval
 * becomes visible atomically with the offsets. At-least-once flushes the producer,
 * rethrows the first failed send, then commits the offsets. None commits the offsets
 * without waiting for the producer.
 * <li>A failure (a failed send, commit or handler call, a rebalance that took partitions
 * whose transaction could not be committed) throws away everything written since the
 * last checkpoint: the transaction is aborted, or the producer discarded. A rollback is
 * then pending, and nothing commits until it is done: the positions reached before the
 * failure count records whose output was thrown away.
 * <li>The rollback seeks every assigned partition back to its offset as the broker knows
 * it, after the producer was initialised again, which settles a transaction whose commit
 * outcome was unknown.
 * </ul>
 * Used only by the worker's thread.
 */
final class CheckpointCommitter {

	// logs under the worker's category, as these are the worker's events
	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private static final Duration CHECKPOINT_ID_LOOKUP_TIMEOUT = Duration.ofMillis(500);

	private final String name;

	private final DeliveryGuarantee guarantee;

	private final boolean commitOffsets;

	private final @Nullable WorkerProducer producer;

	private final OwnedPartitions owned;

	private final Function<TopicPartition, CheckpointMetadata.@Nullable Stop> stopsToCommit;

	private final SendFailure sendFailure;

	private final CheckpointCoordinator coordinator;

	private boolean rollbackPending;

	CheckpointCommitter(String name, DeliveryGuarantee guarantee, boolean commitOffsets,
			@Nullable WorkerProducer producer, OwnedPartitions owned,
			Function<TopicPartition, CheckpointMetadata.@Nullable Stop> stopsToCommit, SendFailure sendFailure,
			CheckpointCoordinator coordinator) {
		this.name = name;
		this.guarantee = guarantee;
		this.commitOffsets = commitOffsets;
		this.producer = producer;
		this.owned = owned;
		this.stopsToCommit = stopsToCommit;
		this.sendFailure = sendFailure;
		this.coordinator = coordinator;
	}

	/**
	 * Whether what was written since the last checkpoint was thrown away and the
	 * partitions are not rolled back yet: nothing may be committed or read meanwhile.
	 * @return whether a rollback is pending
	 */
	boolean rollbackPending() {
		return this.rollbackPending;
	}

	/**
	 * Commits everything processed so far, as the delivery guarantee requires.
	 * @param consumer the consumer
	 * @param checkpointId the id written in the offsets' metadata
	 * @return whether any partition's checkpoint moved forward
	 * @throws IllegalStateException while a rollback is pending: the positions count
	 * records whose output was thrown away
	 * @throws CommitDeferredException when the group refused the offsets of at-least-once
	 * or none because it is rebalancing: nothing needs to be thrown away
	 */
	boolean commit(Consumer<byte[], byte[]> consumer, long checkpointId) {
		if (this.rollbackPending) {
			throw new IllegalStateException(this.name + " cannot commit: what it wrote since its last checkpoint"
					+ " was thrown away and its partitions are not rolled back yet");
		}
		Map<TopicPartition, OffsetAndMetadata> offsets = this.owned.uncommitted(checkpointId, this.stopsToCommit);
		if (this.guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
			WorkerProducer producer = requireProducer();
			if (!producer.transactionOpen() && offsets.isEmpty()) {
				// nothing was read since the last commit
				return false;
			}
			producer.beginTransactionIfNeeded();
			producer.commitTransaction(offsets, consumer.groupMetadata());
		}
		else {
			if (this.guarantee == DeliveryGuarantee.AT_LEAST_ONCE && this.producer != null) {
				this.producer.flush();
			}
			this.sendFailure.throwIfFailed();
			if (!offsets.isEmpty() && this.commitOffsets) {
				commitSync(consumer, offsets);
			}
		}
		return this.owned.markCommitted(offsets);
	}

	private void commitSync(Consumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
		try {
			consumer.commitSync(offsets);
		}
		catch (RuntimeException ex) {
			if (CommitDeferredException.isGroupChange(ex)) {
				throw new CommitDeferredException(this.name + " could not commit its offsets while its group"
						+ " rebalances (" + ex + "); the output is flushed, so it commits them at the next checkpoint",
						ex);
			}
			throw ex;
		}
	}

	/**
	 * Makes the worker roll back before it reads anything: the rollback initialises the
	 * producer, which fences any other producer with its transactional id, before it
	 * reads the checkpoint.
	 */
	void rollBackFirst() {
		this.rollbackPending = true;
	}

	/**
	 * Throws away what was written since the last checkpoint: aborts the open transaction
	 * (or discards the producer), forgets failed sends, and makes a rollback pending.
	 * Never throws.
	 * @return why the open transaction could not be aborted, {@code null} when it was or
	 * there was none
	 */
	@Nullable RuntimeException throwAway() {
		RuntimeException abortFailure = (this.producer != null) ? this.producer.abort() : null;
		this.sendFailure.clear();
		this.rollbackPending = true;
		return abortFailure;
	}

	/**
	 * Seeks every assigned partition back to its checkpoint as the broker knows it. The
	 * producer is created first: its {@code initTransactions()} settles a transaction
	 * whose commit outcome was unknown, so the committed offsets read next are final.
	 * @param consumer the consumer
	 * @return the partitions whose position moved back to their checkpoint
	 */
	Set<TopicPartition> rollback(Consumer<byte[], byte[]> consumer) {
		this.sendFailure.clear();
		if (this.producer != null) {
			this.producer.get();
		}
		Set<TopicPartition> assignment = consumer.assignment();
		this.owned.retainOnly(assignment);
		Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment);
		for (TopicPartition partition : assignment) {
			OffsetAndMetadata offset = committed.get(partition);
			if (offset != null) {
				this.coordinator.restoreCheckpointId(CheckpointMetadata.checkpointId(offset.metadata()));
				consumer.seek(partition, offset.offset());
				this.owned.start(partition, offset.offset());
			}
			else if (this.owned.contains(partition)) {
				// never checkpointed: back to where reading began
				long start = this.owned.startOffset(partition);
				consumer.seek(partition, start);
				this.owned.startWithoutCheckpoint(partition, start);
			}
			// else nothing was read from it yet: it starts where the starting offsets say
		}
		this.rollbackPending = false;
		logger.debug("{} rolled back {} to their last checkpoint", this.name, assignment);
		return assignment;
	}

	/**
	 * Continues checkpoint ids after those found in the offsets of newly assigned
	 * partitions. Best effort: a lookup that does not answer quickly is skipped.
	 * @param consumer the consumer
	 * @param partitions the newly assigned partitions
	 */
	void restoreCheckpointIds(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
		if (partitions.isEmpty()) {
			return;
		}
		try {
			consumer.committed(Set.copyOf(partitions), CHECKPOINT_ID_LOOKUP_TIMEOUT).values().forEach((offset) -> {
				if (offset != null) {
					this.coordinator.restoreCheckpointId(CheckpointMetadata.checkpointId(offset.metadata()));
				}
			});
		}
		catch (RuntimeException ex) {
			logger.debug("{} could not read the checkpoint ids of {}", this.name, partitions, ex);
		}
	}

	private WorkerProducer requireProducer() {
		WorkerProducer producer = this.producer;
		if (producer == null) {
			throw new IllegalStateException(this.name + " has no producer to commit a transaction with");
		}
		return producer;
	}

}
