package dev.kafkastream.runtime;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Pauses and resumes partitions of a consumer whose assignment may change under it. With
 * {@code group.protocol=consumer} a revocation completes on the consumer's background
 * thread: a partition {@code assignment()} still listed a moment ago may be gone by the
 * time it is paused or resumed, which throws {@link IllegalStateException}. A partition no
 * longer assigned needs neither, so such partitions are skipped and the others are still
 * paused or resumed.
 */
final class PartitionPauses {

	private PartitionPauses() {
	}

	/**
	 * Pauses every assigned partition that is not paused yet.
	 * @param consumer the consumer
	 * @return the partitions this call paused, to resume later
	 */
	static Set<TopicPartition> pauseAll(Consumer<?, ?> consumer) {
		Set<TopicPartition> paused = new HashSet<>(consumer.assignment());
		paused.removeAll(consumer.paused());
		pause(consumer, paused);
		return paused;
	}

	/**
	 * Pauses the given partitions that are still assigned.
	 * @param consumer the consumer
	 * @param partitions the partitions
	 */
	static void pause(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		applyToAssigned(partitions, consumer::pause);
	}

	/**
	 * Resumes the given partitions that are still assigned.
	 * @param consumer the consumer
	 * @param partitions the partitions
	 */
	static void resume(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		Set<TopicPartition> assigned = new HashSet<>(partitions);
		assigned.retainAll(consumer.assignment());
		applyToAssigned(assigned, consumer::resume);
	}

	/**
	 * Pauses or resumes partitions all at once, or one at a time, skipping those the
	 * consumer says are no longer assigned, when it refuses them all.
	 */
	private static void applyToAssigned(Collection<TopicPartition> partitions,
			java.util.function.Consumer<Collection<TopicPartition>> operation) {
		try {
			operation.accept(partitions);
		}
		catch (IllegalStateException ex) {
			for (TopicPartition partition : partitions) {
				try {
					operation.accept(List.of(partition));
				}
				catch (IllegalStateException notAssigned) {
					// revoked meanwhile
				}
			}
		}
	}

}
