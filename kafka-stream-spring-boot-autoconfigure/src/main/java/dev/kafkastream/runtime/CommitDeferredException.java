package dev.kafkastream.runtime;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/**
 * The group refused an offset commit of at-least-once or none because it is rebalancing
 * (or the member's generation is outdated). The records' output is flushed already, so
 * nothing is thrown away and no partition rolls back: the next checkpoint commits the
 * offsets, or the revocation does if the rebalance takes the partitions, and a partition
 * that moved on without it is read again from its last checkpoint by its new owner.
 */
final class CommitDeferredException extends RuntimeException {

	CommitDeferredException(String message, RuntimeException cause) {
		super(message, cause);
	}

	/**
	 * Whether an offset commit failed because the group is changing, not because of
	 * something retrying cannot fix.
	 * @param failure the failure of {@code commitSync}
	 * @return whether the commit can be made again once the rebalance completed
	 */
	static boolean isGroupChange(RuntimeException failure) {
		return failure instanceof RebalanceInProgressException || failure instanceof CommitFailedException
				|| failure instanceof IllegalGenerationException || failure instanceof StaleMemberEpochException
				|| failure instanceof UnknownMemberIdException;
	}

}
