package dev.kafkastream.it.scaling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.kafkastream.checkpoint.CheckpointSettings;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.PipelineSpec;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.source.KafkaSourceSpec;
import dev.kafkastream.source.StartingOffsets;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly-once when the commit a worker makes before giving partitions up fails.
 *
 * <p>With a cooperative assignor or the consumer protocol, a rebalance takes some of a
 * worker's partitions and leaves it the others. When it reaches the worker in the middle
 * of a batch, the worker commits everything it processed, revoked and kept partitions
 * alike, in its revocation callback. If that commit fails, the transaction is aborted, with
 * the output of the kept partitions, and the worker must read them again from their last
 * checkpoint: committing their positions afterwards loses that output.
 *
 * <p>The test scales an exactly-once pipeline from one instance to two under load, with a
 * slow handler so that the revocation comes during a batch. The producers are real, but
 * the first commit of a revocation that reaches a worker in the middle of a batch, while
 * partitions it keeps have output in the transaction, fails as if the broker had not
 * answered in time; a checkpoint is due at that moment. If the rebalance reaches the worker
 * between batches instead, the instance that joined is stopped and another one joins. No
 * periodic checkpoint is taken before the fault, so none fails for the rebalance itself
 * and backs the worker off, which would make the rebalance reach it between batches.
 */
class FailedRevocationCommitIT {

	private static final Logger logger = LoggerFactory.getLogger(FailedRevocationCommitIT.class);

	private static final int PARTITIONS = 6;

	private static final int KEYS = 60;

	private static final int LOAD_PER_SECOND = 100;

	/** Records per second one worker handles: a batch of 1000 records takes it five seconds. */
	private static final int HANDLER_RECORDS_PER_SECOND = 200;

	/** Records the input is kept ahead of the handlers, per instance, until the fault came. */
	private static final int BACKLOG_PER_INSTANCE = 1000;

	private static final int JOIN_ATTEMPTS = 6;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@ParameterizedTest
	@EnumSource(value = GroupProtocol.class, names = { "COOPERATIVE", "CONSUMER" })
	void failedCommitOfARevocationInTheMiddleOfABatchLosesNothing(GroupProtocol protocol) throws Exception {
		String name = KafkaTestBroker.uniqueTopicName("revocation-" + protocol.name().toLowerCase());
		String input = name + "-in";
		String output = name + "-out";
		this.kafka.createTopic(input, PARTITIONS);
		this.kafka.createTopic(output, PARTITIONS);
		Set<Long> handledIds = ConcurrentHashMap.newKeySet();
		AtomicReference<String> injected = new AtomicReference<>();
		List<Instance> running = new ArrayList<>();
		try (SteadyLoad load = new SteadyLoad(this.kafka.bootstrapServers(), List.of(input), KEYS, LOAD_PER_SECOND)) {
			Runnable keepBusy = () -> {
				long target = (long) BACKLOG_PER_INSTANCE * running.size();
				if (load.count() - handledIds.size() < target) {
					load.burst(Math.toIntExact(target));
				}
			};
			load.resume();
			Instance first = start(protocol, name, "first", false, handledIds, injected);
			running.add(first);
			for (int attempt = 1; attempt <= JOIN_ATTEMPTS && injected.get() == null; attempt++) {
				long handled = handledIds.size();
				await("attempt " + attempt + ": the first instance has every partition and a backlog")
					.atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(100))
					.until(() -> {
						keepBusy.run();
						return first.assignment().size() == PARTITIONS && handledIds.size() >= handled + 300;
					});
				Instance joining = start(protocol, name, "joining-" + attempt, true, handledIds, injected);
				running.add(joining);
				await("attempt " + attempt + ": the joining instance gets partitions, or the fault is injected")
					.atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(100))
					.until(() -> {
						keepBusy.run();
						return injected.get() != null || !joining.assignment().isEmpty();
					});
				if (injected.get() == null) {
					running.remove(joining);
					joining.runtime().stop(Duration.ofSeconds(10));
				}
			}
			assertThat(injected.get()).as("a revocation in the middle of a batch, with kept partitions in the"
					+ " transaction, within " + JOIN_ATTEMPTS + " joins").isNotNull();
			logger.info("[{}] injected: {}", protocol, injected.get());
			List<TestRecords.Input> expected = load.pause();
			ExactlyOnceVerifier verifier = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, expected);
			try {
				await("every input handled and checkpointed").atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(500))
					.until(() -> {
						running.forEach((instance) -> instance.runtime().checkpoints().trigger());
						return TopicContent.committedTotal(this.kafka.admin(), name) >= expected.size();
					});
				for (Instance instance : running) {
					instance.runtime().stop(Duration.ofSeconds(10));
				}
				running.clear();
				verifier.awaitExactlyOnce(Duration.ofSeconds(15));
			}
			catch (AssertionError | ConditionTimeoutException ex) {
				StringBuilder workers = new StringBuilder();
				running.forEach((instance) -> workers.append("\n  ")
					.append(instance.runtime().pipelines().get(0).workers())
					.append(" assigned ")
					.append(instance.assignment()));
				throw new AssertionError("[" + protocol + "] after " + injected.get() + ": " + ex.getMessage()
						+ "\nread again: " + verifier.verify() + "\nworkers still running:" + workers, ex);
			}
		}
		finally {
			for (Instance instance : running) {
				instance.runtime().stop(Duration.ofSeconds(5));
			}
		}
	}

	/**
	 * Starts an instance with one exactly-once pipeline whose producers fail the first
	 * commit of a revocation in the middle of a batch that carries offsets of partitions the
	 * worker keeps.
	 */
	private Instance start(GroupProtocol protocol, String name, String instanceId, boolean joining,
			Set<Long> handledIds, AtomicReference<String> injected) {
		ObservedClients clients = new ObservedClients();
		AtomicReference<KafkaStreamRuntime> runtime = new AtomicReference<>();
		clients.interceptProducers((method, args) -> {
			Set<TopicPartition> revoking = (clients.revoking() != null) ? Set.copyOf(clients.revoking()) : null;
			if (!method.getName().equals("sendOffsetsToTransaction") || revoking == null
					|| !clients.inMidBatchPoll()) {
				return;
			}
			@SuppressWarnings("unchecked")
			Map<TopicPartition, OffsetAndMetadata> offsets = (Map<TopicPartition, OffsetAndMetadata>) args.get(0);
			Set<TopicPartition> kept = new HashSet<>(offsets.keySet());
			kept.removeAll(revoking);
			if (kept.isEmpty()) {
				return;
			}
			Map<String, Long> positions = new TreeMap<>();
			offsets.forEach((partition, offset) -> positions.put(
					partition.partition() + (revoking.contains(partition) ? " (revoked)" : " (kept)"), offset.offset()));
			if (injected.compareAndSet(null, instanceId + " failed to commit " + positions)) {
				// a checkpoint is due when the commit fails
				runtime.get().checkpoints().trigger();
				throw new TimeoutException("Injected: timed out committing the offsets of a revocation");
			}
		});
		Map<String, Object> consumerProperties = new HashMap<>(protocol.consumerProperties());
		consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers());
		// a long batch polls every 750 ms to stay in the group
		consumerProperties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 3000);
		consumerProperties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
		if (joining && protocol == GroupProtocol.COOPERATIVE) {
			// the second phase of the cooperative rebalance waits until the joining member notices it, so a
			// commit right after the failed one is not refused for a generation the group already left; the
			// group waits that long for its members to rejoin
			consumerProperties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3000);
			consumerProperties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 10_000);
		}
		KafkaStreamRuntime started = KafkaStreamRuntime.builder()
			.instanceId(instanceId)
			.clients(clients)
			// no periodic checkpoint until the fault came: the transaction holds output of every partition
			// then, and no commit races the rebalances (the test triggers checkpoints itself afterwards)
			.checkpointSettings(CheckpointSettings.ofInterval(Duration.ofSeconds(40)))
			.pipeline(PipelineSpec.builder()
				.source(KafkaSourceSpec.builder()
					.name("eos-" + instanceId)
					.topics(name + "-in")
					.groupId(name)
					.startingOffsets(StartingOffsets.earliest())
					.consumerProperties(consumerProperties)
					.build())
				.handler(new ThrottledPassThrough(HANDLER_RECORDS_PER_SECOND, handledIds))
				.sink(KafkaSinkSpec.builder()
					.name("out")
					.topic(name + "-out")
					.deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
					.transactionalIdPrefix(name)
					.producerProperties(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers()))
					.build())
				.build())
			.build();
		runtime.set(started);
		started.start();
		return new Instance(started, clients, name);
	}

	/**
	 * An instance of the application, with its clients.
	 */
	private record Instance(KafkaStreamRuntime runtime, ObservedClients clients, String groupId) {

		Set<TopicPartition> assignment() {
			return this.clients.assignment(this.groupId);
		}

	}

}
