package dev.kafkastream.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application scaled 1→2→3→2→1 instances under a steady load, exactly-once, under
 * each group protocol: {@code eager} (the classic protocol with Kafka's range assignor,
 * every member gives up all its partitions at every rebalance), {@code cooperative} (the
 * classic protocol with the starter's default cooperative-sticky assignor) and
 * {@code consumer} (KIP-848, the brokers assign). Instances {@code b} and {@code c} start
 * next to {@code a}, then {@code a} and {@code b} stop with SIGTERM and leave the group;
 * after each step the partitions must all be owned by the running instances' workers and
 * every partition's committed output must grow again. The recovery of a step is measured
 * from the new instance's first worker joining the group (its JVM's start-up is no cost of
 * the rebalance) or from the SIGTERM of the instance that stops.
 */
class ScalingIT {

	private static final Map<String, GroupProtocol> PROTOCOLS = Map.of("eager",
			new GroupProtocol(GroupType.CLASSIC, "range",
					"--kafka-stream.sources.in.properties.partition.assignment.strategy=org.apache.kafka.clients.consumer.RangeAssignor"),
			"cooperative", new GroupProtocol(GroupType.CLASSIC, "cooperative-sticky"), "consumer",
			new GroupProtocol(GroupType.CONSUMER, null, "--kafka-stream.sources.in.properties.group.protocol=consumer"));

	@RegisterExtension
	static final FaultCluster cluster = new FaultCluster();

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "eager", "cooperative", "consumer" })
	void scaleOneTwoThreeTwoOneUnderLoad(String protocol) {
		GroupProtocol groupProtocol = PROTOCOLS.get(protocol);
		try (FaultScenario scenario = new FaultScenario(cluster, "scale-" + protocol, "exactly-once")
			.with(groupProtocol.arguments())) {
			Map<String, FaultApp> running = new LinkedHashMap<>();
			running.put("a", scenario.app("a").start());
			LoadDriver load = scenario.startLoad();
			scenario.progress().awaitCommitted(1);
			groupProtocol.assertUsedBy(scenario.assignment().describe());
			List<String> steps = List.of("+b", "+c", "-a", "-b");
			for (int step = 1; step <= steps.size(); step++) {
				load.awaitSent((double) step / (steps.size() + 1));
				String instanceId = steps.get(step - 1).substring(1);
				long at = System.nanoTime();
				if (steps.get(step - 1).startsWith("+")) {
					running.put(instanceId, scenario.app(instanceId).start());
					// the rebalance begins when it joins, not when its JVM starts
					scenario.assignment().awaitMember(instanceId, Duration.ofMinutes(2));
					at = System.nanoTime();
				}
				else {
					FaultApp stopped = running.remove(instanceId);
					assertThat(stopped.terminate()).as("exit code of a SIGTERM stop; log:%n%s", stopped.logTail())
						.isIn(0, 143);
				}
				String kind = "scale to " + running.size();
				scenario.injected(kind);
				scenario.awaitRebalanceRecovery(kind, at, FaultScenario.REBALANCE_RECOVERY,
						new ArrayList<>(running.keySet()));
			}
			scenario.check();
		}
	}

	/**
	 * A group protocol under test: the arguments that choose it and what the group's
	 * description must then say.
	 * @param type the group's type
	 * @param assignor the classic protocol's assignor, {@code null} when the brokers assign
	 * @param arguments the application's arguments
	 */
	private record GroupProtocol(GroupType type, @Nullable String assignor, String... arguments) {

		void assertUsedBy(ConsumerGroupDescription group) {
			assertThat(group.type()).as("type of group %s", group.groupId()).isEqualTo(this.type);
			if (this.assignor != null) {
				assertThat(group.partitionAssignor()).as("assignor of group %s", group.groupId())
					.isEqualTo(this.assignor);
			}
		}

	}

}
