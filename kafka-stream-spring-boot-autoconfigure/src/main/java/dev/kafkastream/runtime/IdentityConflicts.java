package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.List;

import dev.kafkastream.core.NonRetryableException;
import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.jspecify.annotations.Nullable;

/**
 * Tells the failures of a worker that mean another process uses its identity, which
 * retrying cannot fix, from the others: a producer fenced over and over (two instances
 * with one instance id, or two instances reading the same explicit partitions), and a
 * static member whose {@code group.instance.id} another consumer holds.
 * <p>
 * A worker reading explicit partitions shares its transactional id with every instance
 * configured to read them. When such a producer is fenced while its transaction is younger
 * than its transaction timeout, the broker did not abort it: another instance initialised
 * the id. The fenced worker gives way at once, so that the newest reader keeps every
 * partition; fencing each other back and forth could leave each instance the loser of one
 * worker's contest and stop them all.
 */
final class IdentityConflicts {

	private final FencingDetector fencing = new FencingDetector();

	private final String worker;

	private final KafkaSourceSpec source;

	private final String instanceId;

	private final int index;

	private final Duration transactionTimeout;

	IdentityConflicts(String worker, KafkaSourceSpec source, String instanceId, int index,
			Duration transactionTimeout) {
		this.worker = worker;
		this.transactionTimeout = transactionTimeout;
		this.source = source;
		this.instanceId = instanceId;
		this.index = index;
	}

	/**
	 * Notes a failure of the worker.
	 * @param failure the failure
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @param transactionAge how long the producer's transaction had been open, {@code null}
	 * without an open transaction
	 * @return the failure to fail the pipeline with, or {@code null} when the worker may
	 * recover from this one
	 */
	@Nullable NonRetryableException check(Throwable failure, long nowNanos, @Nullable Duration transactionAge) {
		FencedInstanceIdException fencedMember = Causes.find(failure, FencedInstanceIdException.class);
		if (fencedMember != null) {
			return new NonRetryableException("The consumer of " + this.worker + " was fenced: another consumer joined"
					+ " group '" + this.source.groupId() + "' with its group.instance.id '" + groupInstanceId()
					+ "'. Is a second instance running with kafka-stream.instance-id=" + this.instanceId
					+ "? Give every instance its own instance id.", failure);
		}
		UnreleasedInstanceIdException unreleased = Causes.find(failure, UnreleasedInstanceIdException.class);
		if (unreleased != null) {
			return new NonRetryableException("Group '" + this.source.groupId() + "' refuses the consumer of "
					+ this.worker + ": its group.instance.id '" + groupInstanceId() + "' still belongs to a member"
					+ " that has not left, either another instance running with kafka-stream.instance-id="
					+ this.instanceId + " or a crashed run of this one that could not be removed from the group"
					+ " (it is when its session times out). Give every instance its own instance id.", failure);
		}
		List<?> partitions = this.source.explicitPartitionsOf(this.index);
		if (!partitions.isEmpty() && FencingDetector.isFencing(failure) && !couldHaveTimedOut(transactionAge)) {
			return new NonRetryableException("The producer of " + this.worker + " was fenced by another producer"
					+ " with its transactional id" + ((transactionAge != null)
							? " while its transaction was " + transactionAge.toMillis() + " ms old, younger than its"
									+ " transaction timeout (" + this.transactionTimeout.toMillis() + " ms)"
							: "")
					+ ". " + explicitPartitionsAdvice(partitions), failure);
		}
		if (!this.fencing.fencedTooOften(failure, nowNanos)) {
			return null;
		}
		String fenced = "The producer of " + this.worker + " was fenced " + FencingDetector.MAX_FENCINGS
				+ " times within " + FencingDetector.WINDOW + ": another producer keeps using its transactional id. ";
		if (!partitions.isEmpty()) {
			return new NonRetryableException(fenced + explicitPartitionsAdvice(partitions), failure);
		}
		return new NonRetryableException(fenced + "Is a second instance running with kafka-stream.instance-id="
				+ this.instanceId + "? Give every instance its own instance id.", failure);
	}

	private boolean couldHaveTimedOut(@Nullable Duration transactionAge) {
		return transactionAge != null && transactionAge.compareTo(this.transactionTimeout) >= 0;
	}

	private String explicitPartitionsAdvice(List<?> partitions) {
		return "Is another instance reading the explicit partitions " + partitions + " (kafka-stream.sources."
				+ this.source.name() + ".partitions) with an exactly-once sink? Explicit partitions are read without"
				+ " a consumer group, so only one instance may read them: stop the other one, or subscribe to the"
				+ " topics to share their partitions through the group.";
	}

	private @Nullable String groupInstanceId() {
		return this.source.groupInstanceId(this.instanceId, this.index);
	}

}
