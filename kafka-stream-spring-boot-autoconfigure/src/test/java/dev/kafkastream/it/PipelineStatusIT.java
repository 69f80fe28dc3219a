package dev.kafkastream.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.runtime.EndOffsets;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.runtime.WorkerStatus;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a running pipeline reports about itself: its state from start to stop, what its
 * workers read and wrote, their partitions' offsets and the end offsets looked up in the
 * background, so that lag is known without waiting on the broker.
 */
class PipelineStatusIT {

	private static final int RECORDS = 3_000;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void countsOffsetsAndLagMatchWhatWasProducedAndProcessed() {
		String input = KafkaTestBroker.uniqueTopicName("status-in");
		String output = KafkaTestBroker.uniqueTopicName("status-out");
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, 100);
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", "status-it")
			.with("--kafka-stream.sources.in.concurrency=2", "--kafka-stream.lag.refresh-interval=200ms")
			.run(PassThroughApplication.class)) {
			KafkaStreamRuntime runtime = context.getBean(KafkaStreamLifecycle.class).getRuntime();
			Pipeline pipeline = runtime.pipeline("in").orElseThrow();
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(1));
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				List<WorkerStatus> workers = pipeline.workers();
				assertThat(workers).allSatisfy((worker) -> assertThat(worker.ready()).isTrue());
				assertThat(workers.stream().mapToLong((worker) -> worker.records().recordsIn()).sum())
					.isEqualTo(RECORDS);
				assertThat(workers.stream().mapToLong((worker) -> worker.records().handlerCalls()).sum())
					.isEqualTo(RECORDS);
				assertThat(workers.stream().flatMap((worker) -> worker.sinks().stream())
					.mapToLong(WorkerStatus.SinkCounts::recordsOut)
					.sum()).isEqualTo(RECORDS);
				assertThat(workers.stream().mapToLong((worker) -> worker.records().bytesIn()).sum())
					.isEqualTo(inputs.stream().mapToLong((record) -> record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
							+ record.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
						.sum());
				Map<TopicPartition, WorkerStatus.PartitionStatus> partitions = new java.util.HashMap<>();
				workers.forEach((worker) -> partitions.putAll(worker.partitions()));
				assertThat(partitions).hasSize(3);
				EndOffsets ends = pipeline.endOffsets();
				assertThat(ends.failure()).isNull();
				assertThat(ends.isStale(Instant.now())).isFalse();
				assertThat(ends.offsets().values().stream().mapToLong(Long::longValue).sum())
					.as("end offsets include each partition's transaction markers of the producer")
					.isGreaterThanOrEqualTo(RECORDS);
				partitions.forEach((partition, status) -> {
					assertThat(status.position()).isEqualTo(ends.offsets().get(partition));
					assertThat(ends.lag(partition, status.position())).isZero();
					assertThat(status.committed()).isEqualTo(status.position());
				});
				// a partition moved to the second worker after the first read it all has no record read by its owner
				assertThat(partitions.values()).filteredOn((status) -> status.lastRecordTime() != null)
					.isNotEmpty()
					.allSatisfy((status) -> {
						assertThat(status.lastRecordTimestamp()).isNotNull();
						assertThat(status.committedBy()).isPositive();
					});
			});
		}
	}

	@Test
	void statesFromStartingToStoppedAndAWorkerWithoutPartitionsIsReady() {
		String input = KafkaTestBroker.uniqueTopicName("states-in");
		String output = KafkaTestBroker.uniqueTopicName("states-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		List<PipelineState> states = new CopyOnWriteArrayList<>();
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(this.kafka.bootstrapServers(), input, output, "at-least-once", "states-it")
			.with("--kafka-stream.sources.in.concurrency=3", "--kafka-stream.auto-startup=false")
			.run(PassThroughApplication.class)) {
			KafkaStreamLifecycle lifecycle = context.getBean(KafkaStreamLifecycle.class);
			KafkaStreamRuntime runtime = lifecycle.getRuntime();
			runtime.addStateListener((pipeline, previous, current) -> states.add(current));
			Pipeline pipeline = runtime.pipeline("in").orElseThrow();
			assertThat(pipeline.state()).isEqualTo(PipelineState.CREATED);
			lifecycle.start();
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
			assertThat(pipeline.workers()).hasSize(3)
				.allSatisfy((worker) -> assertThat(worker.ready()).isTrue())
				.filteredOn((worker) -> worker.partitions().isEmpty())
				.as("workers given no partition: the group has more members than the topic partitions")
				.hasSize(2);
			lifecycle.stop();
			assertThat(pipeline.state()).isEqualTo(PipelineState.STOPPED);
			assertThat(states).containsExactly(PipelineState.STARTING, PipelineState.RUNNING, PipelineState.STOPPED);
		}
	}

}
