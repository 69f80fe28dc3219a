package dev.kafkastream.faults;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

import static org.awaitility.Awaitility.await;

/**
 * Watches who owns the input partitions in the application's group: a rebalance is over
 * when the group is stable, its members are exactly the workers of the running instances
 * (static members, {@code group.instance.id} {@code <instance-id>-in-<worker>}) and every
 * input partition is assigned to one of them. Works under the classic and the
 * {@code consumer} group protocol.
 */
final class GroupAssignment {

	/** Workers per instance: {@code kafka-stream.sources.in.concurrency} in application.yml. */
	static final int WORKERS_PER_INSTANCE = 2;

	private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

	private final Admin admin;

	private final String group;

	private final String topic;

	GroupAssignment(Admin admin, String group, String topic) {
		this.admin = admin;
		this.group = group;
		this.topic = topic;
	}

	/**
	 * Waits until every input partition is assigned to the workers of exactly the given
	 * instances.
	 * @param instanceIds the instance ids of the owners
	 * @param timeout how long to wait at most
	 */
	void awaitOwners(Collection<String> instanceIds, Duration timeout) {
		Set<String> members = instanceIds.stream()
			.flatMap((instanceId) -> IntStream.range(0, WORKERS_PER_INSTANCE)
				.mapToObj((worker) -> instanceId + "-in-" + worker))
			.collect(Collectors.toSet());
		await("the partitions of " + this.topic + " assigned to the workers of " + instanceIds).atMost(timeout)
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> ownedBy(members));
	}

	/**
	 * Waits until a worker of an instance is a member of the group: the moment a new
	 * instance's join begins a rebalance.
	 * @param instanceId the instance id
	 * @param timeout how long to wait at most
	 */
	void awaitMember(String instanceId, Duration timeout) {
		await("a worker of " + instanceId + " in group " + this.group).atMost(timeout)
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> describe().members()
				.stream()
				.anyMatch((member) -> member.groupInstanceId().orElse("").startsWith(instanceId + "-in-")));
	}

	private boolean ownedBy(Set<String> members) {
		ConsumerGroupDescription description = describe();
		Set<String> current = description.members()
			.stream()
			.map((member) -> member.groupInstanceId().orElse(member.consumerId()))
			.collect(Collectors.toSet());
		Set<TopicPartition> assigned = description.members()
			.stream()
			.map(MemberDescription::assignment)
			.flatMap((assignment) -> assignment.topicPartitions().stream())
			.filter((partition) -> partition.topic().equals(this.topic))
			.collect(Collectors.toSet());
		return description.groupState() == GroupState.STABLE && current.equals(members)
				&& assigned.size() == FaultScenario.PARTITIONS;
	}

	/**
	 * Describes the group: its protocol, assignor, state and members.
	 * @return the description
	 */
	ConsumerGroupDescription describe() {
		try {
			return this.admin.describeConsumerGroups(List.of(this.group))
				.describedGroups()
				.get(this.group)
				.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("The broker did not describe group " + this.group, ex);
		}
	}

}
