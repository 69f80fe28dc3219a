package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.checkpoint.CheckpointState;
import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.it.PassThroughApplication.PassThroughHandler;
import dev.kafkastream.sink.KafkaStreamSink;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the kafka-stream runtime stops: {@code kafka-stream.shutdown-timeout} bounds the
 * whole stop, and the final checkpoint is taken even when a periodic one is still in
 * progress at the stop.
 */
class ShutdownIT {

	private static final int RECORDS = 2_000;

	private static final int KEYS = 100;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	/**
	 * A handler hangs in one worker while a periodic checkpoint waits for it: that
	 * checkpoint cannot complete, and that worker does not stop. The stop still takes
	 * the final checkpoint of everything else at once (the other worker, and a record
	 * sent through the sink bean after the periodic checkpoint began), and gives up after
	 * the shutdown timeout, not after the timeout once for the checkpoint and once more
	 * for each worker.
	 */
	@Test
	void shutdownTimeoutBoundsTheWholeStopAndAHangingWorkerDelaysNoFinalCommit() throws Exception {
		String bootstrap = this.kafka.bootstrapServers();
		String input = topic("stop-deadline-in");
		String output = topic("stop-deadline-out");
		String side = topic("stop-deadline-side");
		Duration shutdownTimeout = Duration.ofSeconds(3);
		ConfigurableApplicationContext context = PipelineArguments
			.inToOut(bootstrap, input, output, "exactly-once", "stop-deadline")
			.with("--kafka-stream.sources.in.concurrency=2",
					"--kafka-stream.shutdown-timeout=" + shutdownTimeout.toMillis() + "ms",
					"--test.handler.stall-at-id=" + (RECORDS / 2), "--test.handler.stall=12s")
			.run(PassThroughApplication.class);
		CheckpointCoordinator checkpoints = context.getBean(KafkaStreamLifecycle.class).getRuntime().checkpoints();
		CompletableFuture<RecordMetadata> sent;
		long inProgress;
		Duration took;
		try {
			// both workers own partitions before the input arrives: the one that hangs could not take part
			// in a rebalance
			await().atMost(Duration.ofSeconds(60))
				.until(() -> this.kafka.admin()
					.describeConsumerGroups(List.of(input))
					.all()
					.get()
					.get(input)
					.members()
					.stream()
					.filter((member) -> !member.assignment().topicPartitions().isEmpty())
					.count() == 2);
			TestRecords.produce(bootstrap, input, RECORDS, KEYS);
			PassThroughHandler handler = context.getBean(PassThroughHandler.class);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> handler.stalled() && checkpoints.counts().inProgress() == 1);
			inProgress = checkpoints.history().get(0).id();
			sent = context.getBean("outSink", KafkaStreamSink.class)
				.send(OutputRecord.builder("sent-before-the-stop").topic(side).build());
		}
		finally {
			long start = System.nanoTime();
			context.close();
			took = Duration.ofNanos(System.nanoTime() - start);
		}
		assertThat(took).as("time to close the application").isLessThan(shutdownTimeout.plusMillis(1_500));
		assertThat(sent).as("record sent through the sink bean").succeedsWithin(Duration.ofSeconds(1));
		assertThat(TopicContent.readCommitted(bootstrap, side).records()).hasSize(1);
		assertThat(checkpoints.history()).filteredOn((record) -> record.id() > inProgress)
			.as("final checkpoint")
			.singleElement()
			.satisfies((record) -> assertThat(record.offsets()).as("offsets of the worker that did not hang")
				.isNotEmpty());
	}

	/**
	 * A handler is slow while a periodic checkpoint waits for its worker when the
	 * application stops: the final checkpoint supersedes that one, is not skipped, and
	 * commits exactly what was handled, its output included.
	 */
	@Test
	void finalCheckpointSupersedesOneInProgressAndCommitsWhatWasHandled() throws Exception {
		String bootstrap = this.kafka.bootstrapServers();
		String input = topic("stop-pending-in");
		String output = topic("stop-pending-out");
		List<TestRecords.Input> inputs = TestRecords.produce(bootstrap, input, RECORDS, KEYS);
		ConfigurableApplicationContext context = PipelineArguments
			.inToOut(bootstrap, input, output, "exactly-once", "stop-pending")
			.with("--kafka-stream.shutdown-timeout=30s", "--kafka-stream.checkpoint.timeout=30s",
					"--test.handler.stall-at-id=" + (RECORDS / 2), "--test.handler.stall=3s")
			.run(PassThroughApplication.class);
		CheckpointCoordinator checkpoints = context.getBean(KafkaStreamLifecycle.class).getRuntime().checkpoints();
		long inProgress;
		try {
			PassThroughHandler handler = context.getBean(PassThroughHandler.class);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> handler.stalled() && checkpoints.counts().inProgress() == 1);
			inProgress = checkpoints.history().get(0).id();
			assertThat(checkpoints.history().get(0).state()).isEqualTo(CheckpointState.IN_PROGRESS);
		}
		finally {
			context.close();
		}
		List<CheckpointRecord> history = checkpoints.history();
		CheckpointRecord last = history.get(0);
		assertThat(last.id()).as("the final checkpoint follows the one in progress").isGreaterThan(inProgress);
		assertThat(last.state()).isEqualTo(CheckpointState.COMPLETED);
		assertThat(history).filteredOn((record) -> record.id() == inProgress)
			.singleElement()
			.extracting(CheckpointRecord::failure)
			.isEqualTo("superseded by the final checkpoint " + last.id());
		long committed = TopicContent.committedTotal(this.kafka.admin(), input);
		assertThat(last.offsets().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(committed);
		assertThat(committed).as("records handled before the stop").isPositive();
		ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(bootstrap, output, inputs).verify();
		assertThat(result.duplicateCount()).isZero();
		assertThat(result.openTransactions()).isEmpty();
		assertThat(result.recordsRead()).as("output committed with the offsets").isEqualTo(committed);
	}

	private String topic(String name) {
		String topic = KafkaTestBroker.uniqueTopicName(name);
		this.kafka.createTopic(topic, 3);
		return topic;
	}

}
