package dev.kafkastream.it.scaling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.checkpoint.CheckpointSettings;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineSpec;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.source.KafkaSourceSpec;
import dev.kafkastream.source.StartingOffsets;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scales a group of application instances 1→2→3→2→1 under load, once per group protocol,
 * and checks the output with the read_committed verifier after every step.
 *
 * <p>Each instance is a {@link KafkaStreamRuntime} of its own, with its own instance id,
 * running three pipelines that read three input topics of six partitions and write three
 * output topics: one exactly-once, one at-least-once, one without guarantee. A steady load
 * writes every input id to the three input topics. At each step an instance is started or
 * stopped gracefully while bursts of input keep every worker a second of work behind, so
 * that the rebalance reaches workers in the middle of a batch (the handler is slow); once
 * the group has settled (every partition assigned to exactly one live instance, every
 * instance making progress) the load runs on for a while. The load then pauses, so the
 * verifier knows what to expect, and each output is checked:
 * <ul>
 * <li>exactly-once: every input so far exactly once, per-key order, no open transaction;
 * <li>at-least-once: nothing missing, and the first occurrences of each key's ids in
 * order (duplicates are allowed);
 * <li>none: nothing missing. Without a guarantee a crash may lose records, but graceful
 * rebalances and stops lose none: a revoked partition's offsets are committed and its sends
 * are not thrown away, and a stopping instance closes its producer, which delivers what it
 * holds. Order is not promised: the sends of a partition's old owner may land after the
 * first sends of its new one.
 * </ul>
 * The revocations seen in the middle of a batch and between batches are logged for each
 * step.
 */
class GroupScalingIT {

	private static final Logger logger = LoggerFactory.getLogger(GroupScalingIT.class);

	private static final int PARTITIONS = 6;

	private static final int KEYS = 60;

	/** Records per second the load writes to each input topic. */
	private static final int LOAD_PER_SECOND = 100;

	/**
	 * Records per live instance each input topic is kept ahead of the handlers until the
	 * group settled: a second of work for each worker, so that a rebalance finds it in the
	 * middle of a batch.
	 */
	private static final int BACKLOG_PER_INSTANCE = 400;

	/** Records per second one worker handles: a backlog of 500 records takes it over a second. */
	private static final int HANDLER_RECORDS_PER_SECOND = 400;

	/** Records of load written to each input topic once the group settled at a step. */
	private static final int LOAD_AFTER_SETTLING = 100;

	private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(40);

	private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@ParameterizedTest
	@EnumSource(GroupProtocol.class)
	void scalingFromOneToThreeInstancesAndBackKeepsEveryGuarantee(GroupProtocol protocol) {
		try (Scenario scenario = new Scenario(protocol)) {
			scenario.step("start i1 (1 instance)", () -> scenario.start("i1"));
			scenario.step("start i2 (2 instances)", () -> scenario.start("i2"));
			scenario.step("start i3 (3 instances)", () -> scenario.start("i3"));
			scenario.step("stop i1 (2 instances)", () -> scenario.stop("i1"));
			scenario.step("stop i2 (1 instance)", () -> scenario.stop("i2"));
			scenario.stopAll();
		}
	}

	private static String shortName(DeliveryGuarantee guarantee) {
		return switch (guarantee) {
			case EXACTLY_ONCE -> "eos";
			case AT_LEAST_ONCE -> "alo";
			case NONE -> "none";
		};
	}

	/**
	 * One run: the topics, the load, and the instances of the group.
	 */
	private final class Scenario implements AutoCloseable {

		private final GroupProtocol protocol;

		private final String name;

		private final Map<DeliveryGuarantee, String> inputs = new EnumMap<>(DeliveryGuarantee.class);

		private final Map<DeliveryGuarantee, String> outputs = new EnumMap<>(DeliveryGuarantee.class);

		private final List<Instance> instances = new ArrayList<>();

		private final List<Instance> everStarted = new ArrayList<>();

		private final Map<DeliveryGuarantee, Set<Long>> handledIds = new EnumMap<>(DeliveryGuarantee.class);

		private final SteadyLoad load;

		private final long started = System.nanoTime();

		Scenario(GroupProtocol protocol) {
			this.protocol = protocol;
			this.name = KafkaTestBroker.uniqueTopicName("scale-" + protocol.name().toLowerCase());
			for (DeliveryGuarantee guarantee : DeliveryGuarantee.values()) {
				String input = this.name + "-" + shortName(guarantee) + "-in";
				String output = this.name + "-" + shortName(guarantee) + "-out";
				GroupScalingIT.this.kafka.createTopic(input, PARTITIONS);
				GroupScalingIT.this.kafka.createTopic(output, PARTITIONS);
				this.inputs.put(guarantee, input);
				this.outputs.put(guarantee, output);
				this.handledIds.put(guarantee, ConcurrentHashMap.newKeySet());
			}
			this.load = new SteadyLoad(GroupScalingIT.this.kafka.bootstrapServers(), List.copyOf(this.inputs.values()),
					KEYS, LOAD_PER_SECOND);
		}

		/**
		 * Runs one step under load: the action, with a backlog until the group settled,
		 * then more load; then pauses the load and verifies every output.
		 * @param description what the step does
		 * @param action starts or stops an instance
		 */
		void step(String description, Runnable action) {
			long stepStarted = System.nanoTime();
			Map<String, Long> handledBefore = handledByInstanceAndPipeline();
			this.load.resume();
			keepWorkersBusy();
			action.run();
			await(description + ": the group settles").atMost(SETTLE_TIMEOUT)
				.pollInterval(Duration.ofMillis(100))
				.failFast("a pipeline failed", () -> assertThat(failures()).isEmpty())
				.until(() -> {
					if (settled(handledBefore)) {
						return true;
					}
					keepWorkersBusy();
					return false;
				});
			long settled = System.nanoTime();
			long target = this.load.count() + LOAD_AFTER_SETTLING;
			await(description + ": load after settling").atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> this.load.count() >= target);
			List<TestRecords.Input> expected = this.load.pause();
			String outcome = verify(description, expected);
			logger.info("{} [{}] settled in {} ms, verified {} inputs in {} ms{}; revocations so far: {}",
					description, this.protocol, millis(settled - stepStarted), expected.size(),
					millis(System.nanoTime() - settled), outcome, revocations());
		}

		private String verify(String description, List<TestRecords.Input> expected) {
			try {
				// cheaper than reading the outputs again and again while the workers catch up
				await(description + ": every input handled").atMost(VERIFY_TIMEOUT)
					.pollInterval(Duration.ofMillis(50))
					.until(() -> this.handledIds.values().stream().allMatch((ids) -> ids.size() >= expected.size()));
			}
			catch (ConditionTimeoutException ex) {
				StringBuilder found = new StringBuilder();
				for (DeliveryGuarantee guarantee : DeliveryGuarantee.values()) {
					found.append("\n").append(guarantee).append(": ").append(read(guarantee, expected));
				}
				throw new AssertionError(description + " [" + this.protocol + "]: " + ex.getMessage() + found
						+ "\nworkers:" + workerStatus(), ex);
			}
			ExactlyOnceVerifier.Result exactlyOnce = awaitOutput(description, DeliveryGuarantee.EXACTLY_ONCE, expected);
			ExactlyOnceVerifier.Result atLeastOnce = awaitOutput(description, DeliveryGuarantee.AT_LEAST_ONCE,
					expected);
			assertThat(atLeastOnce.orderViolationCount())
				.as("%s: per-key order of the at-least-once output's first occurrences: %s", description,
						atLeastOnce)
				.isZero();
			ExactlyOnceVerifier.Result none = awaitOutput(description, DeliveryGuarantee.NONE, expected);
			for (Instance instance : this.instances) {
				for (Pipeline pipeline : instance.runtime.pipelines()) {
					assertThat(pipeline.state()).as("%s: state of %s on %s (%s)", description, pipeline.name(),
							instance.id, pipeline.failure())
						.isIn(PipelineState.STARTING, PipelineState.RUNNING);
				}
			}
			assertThat(exactlyOnce.recordsRead()).isEqualTo(expected.size());
			return ", duplicates at-least-once " + atLeastOnce.duplicateCount() + ", none " + none.duplicateCount()
					+ ", order violations none " + none.orderViolationCount();
		}

		/**
		 * Waits until the output of a pipeline holds what its guarantee promises for the
		 * given inputs: exactly-once for exactly-once, nothing missing otherwise. On a
		 * timeout the output is read once more (the verifier reports the attempt the timeout
		 * interrupted) and the failure says what was found, and where each worker stands.
		 */
		private ExactlyOnceVerifier.Result awaitOutput(String description, DeliveryGuarantee guarantee,
				List<TestRecords.Input> expected) {
			ExactlyOnceVerifier verifier = ExactlyOnceVerifier.of(GroupScalingIT.this.kafka.bootstrapServers(),
					this.outputs.get(guarantee), expected);
			try {
				return (guarantee == DeliveryGuarantee.EXACTLY_ONCE) ? verifier.awaitExactlyOnce(VERIFY_TIMEOUT)
						: verifier.awaitAtLeastOnce(VERIFY_TIMEOUT);
			}
			catch (AssertionError ex) {
				throw new AssertionError(description + " [" + this.protocol + "], " + guarantee + ": " + ex.getMessage()
						+ "\nread again: " + read(guarantee, expected) + "\nworkers:" + workerStatus(), ex);
			}
		}

		private String read(DeliveryGuarantee guarantee, List<TestRecords.Input> expected) {
			try {
				return ExactlyOnceVerifier.of(GroupScalingIT.this.kafka.bootstrapServers(), this.outputs.get(guarantee),
						expected)
					.verify()
					.toString();
			}
			catch (RuntimeException ex) {
				return ex.toString();
			}
		}

		private String workerStatus() {
			StringBuilder workers = new StringBuilder();
			this.instances.forEach((instance) -> workers.append("\n  ").append(instance.status()));
			return workers.toString();
		}

		/**
		 * Adds a burst of input when the handlers are less than
		 * {@link #BACKLOG_PER_INSTANCE} records per live instance behind the load.
		 */
		private void keepWorkersBusy() {
			long target = (long) BACKLOG_PER_INSTANCE * Math.max(1, this.instances.size());
			long backlog = Long.MAX_VALUE;
			for (DeliveryGuarantee guarantee : DeliveryGuarantee.values()) {
				backlog = Math.min(backlog, this.load.count() - this.handledIds.get(guarantee).size());
			}
			if (backlog < target) {
				this.load.burst(Math.toIntExact(target));
			}
		}

		/**
		 * Whether every partition of every input is assigned to exactly one live instance and
		 * every live instance handled records of every pipeline since the step began.
		 */
		private boolean settled(Map<String, Long> handledBefore) {
			for (DeliveryGuarantee guarantee : DeliveryGuarantee.values()) {
				Set<TopicPartition> owned = new HashSet<>();
				int ownedCount = 0;
				for (Instance instance : this.instances) {
					Set<TopicPartition> partitions = instance.assignment(guarantee);
					String key = instance.id + "/" + shortName(guarantee);
					if (partitions.isEmpty() || instance.handled(guarantee) <= handledBefore.getOrDefault(key, 0L)) {
						return false;
					}
					owned.addAll(partitions);
					ownedCount += partitions.size();
				}
				if (owned.size() != PARTITIONS || ownedCount != PARTITIONS) {
					return false;
				}
			}
			return true;
		}

		private Map<String, Long> handledByInstanceAndPipeline() {
			Map<String, Long> handled = new HashMap<>();
			for (Instance instance : this.instances) {
				for (DeliveryGuarantee guarantee : DeliveryGuarantee.values()) {
					handled.put(instance.id + "/" + shortName(guarantee), instance.handled(guarantee));
				}
			}
			return handled;
		}

		String bootstrapServers() {
			return GroupScalingIT.this.kafka.bootstrapServers();
		}

		/**
		 * Why a pipeline of a live instance failed.
		 * @return the failures, empty while every pipeline runs
		 */
		private List<String> failures() {
			List<String> failures = new ArrayList<>();
			for (Instance instance : this.instances) {
				for (Pipeline pipeline : instance.runtime.pipelines()) {
					if (pipeline.state() == PipelineState.FAILED) {
						failures.add(instance.id + ": " + pipeline.failure());
					}
				}
			}
			return failures;
		}

		void start(String instanceId) {
			Instance instance = new Instance(instanceId, this);
			this.instances.add(instance);
			this.everStarted.add(instance);
		}

		void stop(String instanceId) {
			Instance instance = this.instances.stream()
				.filter((candidate) -> candidate.id.equals(instanceId))
				.findFirst()
				.orElseThrow();
			this.instances.remove(instance);
			instance.stop();
		}

		/**
		 * Stops the remaining instances gracefully and verifies the outputs a last time:
		 * the final checkpoints committed everything.
		 */
		void stopAll() {
			while (!this.instances.isEmpty()) {
				stop(this.instances.get(0).id);
			}
			List<TestRecords.Input> expected = this.load.pause();
			logger.info("stopped every instance [{}] after {} ms{}", this.protocol,
					millis(System.nanoTime() - this.started), verify("stopped", expected));
		}

		private String revocations() {
			int midBatch = 0;
			int regular = 0;
			int lost = 0;
			for (Instance instance : this.everStarted) {
				midBatch += instance.clients.midBatchRevocations();
				regular += instance.clients.pollRevocations();
				lost += instance.clients.losses();
			}
			return midBatch + " mid-batch, " + regular + " between batches, " + lost + " lost";
		}

		@Override
		public void close() {
			try {
				for (Instance instance : this.instances) {
					instance.runtime.stop(Duration.ofSeconds(5));
				}
			}
			finally {
				this.load.close();
			}
		}

	}

	/**
	 * One instance of the application: a runtime with its own instance id and the three
	 * pipelines.
	 */
	private static final class Instance {

		private final String id;

		private final ObservedClients clients = new ObservedClients();

		private final Map<DeliveryGuarantee, ThrottledPassThrough> handlers = new EnumMap<>(DeliveryGuarantee.class);

		private final Map<DeliveryGuarantee, String> groupIds = new EnumMap<>(DeliveryGuarantee.class);

		private final KafkaStreamRuntime runtime;

		Instance(String id, Scenario scenario) {
			this.id = id;
			KafkaStreamRuntime.Builder builder = KafkaStreamRuntime.builder()
				.instanceId(id)
				.clients(this.clients)
				.checkpointSettings(new CheckpointSettings(Duration.ofMillis(300), Duration.ofSeconds(10),
						Duration.ZERO, 10));
			for (DeliveryGuarantee guarantee : DeliveryGuarantee.values()) {
				ThrottledPassThrough handler = new ThrottledPassThrough(HANDLER_RECORDS_PER_SECOND,
						scenario.handledIds.get(guarantee));
				this.handlers.put(guarantee, handler);
				builder.pipeline(PipelineSpec.builder()
					.source(source(scenario, guarantee))
					.handler(handler)
					.sink(sink(scenario, guarantee))
					.build());
			}
			this.runtime = builder.build();
			this.runtime.start();
		}

		private KafkaSourceSpec source(Scenario scenario, DeliveryGuarantee guarantee) {
			Map<String, Object> properties = new HashMap<>(scenario.protocol.consumerProperties());
			// a worker in a long batch polls every quarter of this to stay in the group
			properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 3000);
			properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
			properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, scenario.bootstrapServers());
			String groupId = scenario.name + "-" + shortName(guarantee);
			this.groupIds.put(guarantee, groupId);
			return KafkaSourceSpec.builder()
				.name(pipelineName(guarantee))
				.topics(scenario.inputs.get(guarantee))
				.groupId(groupId)
				.startingOffsets(StartingOffsets.earliest())
				.consumerProperties(properties)
				.build();
		}

		private KafkaSinkSpec sink(Scenario scenario, DeliveryGuarantee guarantee) {
			return KafkaSinkSpec.builder()
				.name(shortName(guarantee) + "-out")
				.topic(scenario.outputs.get(guarantee))
				.deliveryGuarantee(guarantee)
				.producerProperties(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, scenario.bootstrapServers()))
				.transactionalIdPrefix(
						(guarantee == DeliveryGuarantee.EXACTLY_ONCE) ? scenario.outputs.get(guarantee) : null)
				.build();
		}

		/**
		 * The pipeline's name: the instance id is part of it so that the worker threads of
		 * the instances, and their log lines, can be told apart.
		 */
		private String pipelineName(DeliveryGuarantee guarantee) {
			return shortName(guarantee) + "-" + this.id;
		}

		Set<TopicPartition> assignment(DeliveryGuarantee guarantee) {
			return this.clients.assignment(this.groupIds.get(guarantee));
		}

		String status() {
			StringBuilder status = new StringBuilder(this.id).append(':');
			for (DeliveryGuarantee guarantee : DeliveryGuarantee.values()) {
				status.append("\n    ").append(this.runtime.pipeline(pipelineName(guarantee)).orElseThrow().workers())
					.append(" assigned ").append(assignment(guarantee));
			}
			return status.toString();
		}

		long handled(DeliveryGuarantee guarantee) {
			return this.handlers.get(guarantee).handled();
		}

		void stop() {
			long stopping = System.nanoTime();
			Optional<CheckpointRecord> last = this.runtime.stop(STOP_TIMEOUT);
			logger.info("{} stopped in {} ms, final checkpoint {}; revocations: {} mid-batch, {} between batches,"
					+ " {} lost", this.id, millis(System.nanoTime() - stopping),
					last.map((record) -> record.id() + " " + record.state()).orElse("none"),
					this.clients.midBatchRevocations(), this.clients.pollRevocations(), this.clients.losses());
		}

	}

	private static long millis(long nanos) {
		return nanos / 1_000_000;
	}

}
