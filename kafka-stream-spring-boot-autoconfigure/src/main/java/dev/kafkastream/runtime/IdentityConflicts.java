package dev.kafkastream.runtime;

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
 */
final class IdentityConflicts {

	private final FencingDetector fencing = new FencingDetector();

	private final String worker;

	private final KafkaSourceSpec source;

	private final String instanceId;

	private final int index;

	IdentityConflicts(String worker, KafkaSourceSpec source, String instanceId, int index) {
		this.worker = worker;
		this.source = source;
		this.instanceId = instanceId;
		this.index = index;
	}

	/**
	 * Notes a failure of the worker.
	 * @param failure the failure
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @return the failure to fail the pipeline with, or {@code null} when the worker may
	 * recover from this one
	 */
	@Nullable NonRetryableException check(Throwable failure, long nowNanos) {
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
		if (!this.fencing.fencedTooOften(failure, nowNanos)) {
			return null;
		}
		String fenced = "The producer of " + this.worker + " was fenced " + FencingDetector.MAX_FENCINGS
				+ " times within " + FencingDetector.WINDOW + ": another producer keeps using its transactional id. ";
		List<?> partitions = this.source.explicitPartitionsOf(this.index);
		if (!partitions.isEmpty()) {
			return new NonRetryableException(fenced + "Is another instance reading the explicit partitions "
					+ partitions + " (kafka-stream.sources." + this.source.name() + ".partitions) with an"
					+ " exactly-once sink? Explicit partitions are read without a consumer group, so only one"
					+ " instance may read them: stop the other one, or subscribe to the topics to share their"
					+ " partitions through the group.", failure);
		}
		return new NonRetryableException(fenced + "Is a second instance running with kafka-stream.instance-id="
				+ this.instanceId + "? Give every instance its own instance id.", failure);
	}

	private @Nullable String groupInstanceId() {
		return this.source.groupInstanceId(this.instanceId, this.index);
	}

}
