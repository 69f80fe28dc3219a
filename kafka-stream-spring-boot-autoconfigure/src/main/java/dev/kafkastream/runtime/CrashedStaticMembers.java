package dev.kafkastream.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

import dev.kafkastream.source.GroupInstanceIds;
import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes, before the workers join, the static members that a crashed run of this
 * instance left in consumer groups of the consumer group protocol (KIP-848,
 * {@code group.protocol=consumer}). Such a group refuses a new member with the
 * {@code group.instance.id} of one that has not left
 * ({@code UnreleasedInstanceIdException}) until the old member's session times out,
 * and keeps that member's partitions until then; removing it lets the restarted workers
 * take the partitions at once. Under the classic protocol nothing needs doing: a member
 * joining with the id of a crashed one takes its place.
 */
final class CrashedStaticMembers {

	private static final Logger logger = LoggerFactory.getLogger(CrashedStaticMembers.class);

	private final KafkaClients clients;

	private final Map<String, Object> adminConfig;

	private final KafkaClientLog adminLog = KafkaClientLog.admin("crashed static members admin client");

	private final Map<String, List<Pattern>> instanceIdsByGroup;

	private CrashedStaticMembers(KafkaClients clients, Map<String, Object> adminConfig,
			Map<String, List<Pattern>> instanceIdsByGroup) {
		this.clients = clients;
		this.adminConfig = adminConfig;
		this.instanceIdsByGroup = instanceIdsByGroup;
	}

	/**
	 * The static members of this instance in the groups of the given pipelines that use
	 * the consumer group protocol.
	 * @param pipelines the pipelines
	 * @param instanceId the id of this instance
	 * @param clients the client factory
	 * @return the members to remove at start, or {@code null} when no source is concerned
	 */
	static @Nullable CrashedStaticMembers of(List<PipelineSpec> pipelines, String instanceId, KafkaClients clients) {
		Map<String, List<Pattern>> instanceIdsByGroup = new LinkedHashMap<>();
		Map<String, Object> adminProperties = null;
		for (PipelineSpec pipeline : pipelines) {
			KafkaSourceSpec source = pipeline.source();
			if (source.groupInstanceId(instanceId, 0) != null && source.usesConsumerGroupProtocol()) {
				instanceIdsByGroup.computeIfAbsent(source.groupId(), (group) -> new ArrayList<>())
					.add(GroupInstanceIds.ofAnyWorker(instanceId, source.name()));
				adminProperties = (adminProperties != null) ? adminProperties : source.adminProperties();
			}
		}
		if (adminProperties == null) {
			return null;
		}
		return new CrashedStaticMembers(clients,
				AdminConfigs.from(adminProperties, "kafka-stream-" + instanceId + "-members"), instanceIdsByGroup);
	}

	/**
	 * Removes the members. A failure is logged: the workers then join anyway, and are
	 * refused until the old members' sessions time out.
	 */
	void remove() {
		try (Admin admin = this.clients.createAdmin(this.adminConfig)) {
			this.adminLog.created(this.adminConfig);
			Map<String, ConsumerGroupDescription> groups = new LinkedHashMap<>();
			admin.describeConsumerGroups(this.instanceIdsByGroup.keySet()).describedGroups().forEach((group, future) -> {
				try {
					groups.put(group, future.get());
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof GroupIdNotFoundException)) {
						logger.warn("Could not look for crashed static members of this instance in group '{}': {}",
								group, ex.getCause().toString());
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			groups.forEach((group, description) -> remove(admin, group, description));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not look for crashed static members of this instance: {}", ex.toString());
		}
	}

	private void remove(Admin admin, String group, ConsumerGroupDescription description) {
		List<Pattern> ours = this.instanceIdsByGroup.get(group);
		List<MemberToRemove> crashed = description.members()
			.stream()
			.map(MemberDescription::groupInstanceId)
			.flatMap((id) -> id.stream())
			.filter((id) -> ours.stream().anyMatch((pattern) -> pattern.matcher(id).matches()))
			.map(MemberToRemove::new)
			.toList();
		if (crashed.isEmpty()) {
			return;
		}
		try {
			admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(crashed)).all().get();
			logger.info("Removed the static members {} that a previous run of this instance left in group '{}'",
					crashed.stream().map(MemberToRemove::groupInstanceId).toList(), group);
		}
		catch (ExecutionException ex) {
			logger.warn("Could not remove the static members {} that a previous run of this instance left in group"
					+ " '{}': {}", crashed.stream().map(MemberToRemove::groupInstanceId).toList(), group,
					ex.getCause().toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
