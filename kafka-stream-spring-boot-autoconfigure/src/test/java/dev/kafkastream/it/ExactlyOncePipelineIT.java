package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.checkpoint.CheckpointState;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the starter's exactly-once pipeline, from properties to a real broker: 100,000
 * records on three partitions with two workers, and a group whose instances change
 * mid-stream.
 */
class ExactlyOncePipelineIT {

	private static final int RECORDS = 100_000;

	private static final int KEYS = 1_000;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void everyInputExactlyOnceInPerKeyOrderWithNoOpenTransaction() {
		String input = KafkaTestBroker.uniqueTopicName("eos-in");
		String output = KafkaTestBroker.uniqueTopicName("eos-out");
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, KEYS);
		try (ConfigurableApplicationContext context = start(input, output, "exactly-once")) {
			KafkaStreamRuntime runtime = context.getBean(KafkaStreamLifecycle.class).getRuntime();
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(3));
			assertThat(result.recordsRead()).isEqualTo(RECORDS);
			await().atMost(Duration.ofSeconds(30)).until(() -> runtime.pipeline("in").orElseThrow().state() == PipelineState.RUNNING);
			assertThat(runtime.pipeline("in").orElseThrow().workers()).hasSize(2);
			// the second worker may join after the first read everything: a partition moving to it in a
			// cooperative rebalance is in no checkpoint until its new owner has it
			await().atMost(Duration.ofSeconds(30))
				.until(() -> runtime.pipeline("in").orElseThrow().workers().stream()
					.flatMap((worker) -> worker.positions().keySet().stream())
					.distinct()
					.count() == 3);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(runtime.checkpoints().latestCompleted()).hasValueSatisfying(
						(checkpoint) -> assertThat(checkpoint.offsets().values().stream().mapToLong(Long::longValue).sum())
							.isEqualTo(RECORDS)));
			assertThat(runtime.checkpoints().history()).isNotEmpty()
				.allSatisfy((checkpoint) -> assertThat(checkpoint.state()).isNotEqualTo(CheckpointState.FAILED));
			Optional<CheckpointRecord> finalCheckpoint = runtime.stop(Duration.ofSeconds(30));
			assertThat(finalCheckpoint).hasValueSatisfying((checkpoint) -> {
				assertThat(checkpoint.state()).isEqualTo(CheckpointState.COMPLETED);
				assertThat(checkpoint.offsets().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(RECORDS);
			});
			assertThat(runtime.pipeline("in").orElseThrow().state()).isEqualTo(PipelineState.STOPPED);
		}
	}

	@Test
	void exactlyOnceWhileInstancesJoinAndLeaveTheGroupMidStream() {
		String input = KafkaTestBroker.uniqueTopicName("scale-in");
		String output = KafkaTestBroker.uniqueTopicName("scale-out");
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		int records = 30_000;
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, records, KEYS);
		ConfigurableApplicationContext first = start(input, output, "exactly-once", "instance-a", 1,
				"--test.handler.records-per-second=5000");
		try (ConfigurableApplicationContext second = start(input, output, "exactly-once", "instance-b", 1,
				"--test.handler.records-per-second=5000")) {
			PassThroughApplication.PassThroughHandler secondHandler = second
				.getBean(PassThroughApplication.PassThroughHandler.class);
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(secondHandler.handled())
					.as(() -> "progress of the second instance%n%s%n%s".formatted(workers(first, second),
							workerThreads()))
					.isGreaterThan(2_000));
			first.close();
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(3));
			assertThat(result.recordsRead()).isEqualTo(records);
		}
		finally {
			first.close();
		}
	}

	private static String workers(ConfigurableApplicationContext... contexts) {
		StringBuilder description = new StringBuilder();
		for (ConfigurableApplicationContext context : contexts) {
			context.getBean(KafkaStreamLifecycle.class)
				.getRuntime()
				.pipelines()
				.forEach((pipeline) -> description.append(pipeline.state()).append(' ').append(pipeline.workers())
					.append('\n'));
		}
		return description.toString();
	}

	private static String workerThreads() {
		StringBuilder dump = new StringBuilder();
		Thread.getAllStackTraces().forEach((thread, stack) -> {
			if (thread.getName().startsWith("kafka-stream-")) {
				dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
				for (StackTraceElement element : stack) {
					dump.append("    at ").append(element).append('\n');
				}
			}
		});
		return dump.toString();
	}

	private ConfigurableApplicationContext start(String input, String output, String guarantee) {
		return start(input, output, guarantee, "eos-it", 2);
	}

	private ConfigurableApplicationContext start(String input, String output, String guarantee, String instanceId,
			int concurrency, String... extra) {
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), input, output, guarantee, instanceId)
			.with("--kafka-stream.sources.in.concurrency=" + concurrency)
			.with(extra)
			.run(PassThroughApplication.class);
	}

}
