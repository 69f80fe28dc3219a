package dev.kafkastream.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.sink.KafkaStreamSink;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kafka-stream lifecycle stopped and started again in a running application, as
 * {@code context.stop(); context.start()} does: the pipeline reads on from its
 * checkpoint with new workers, checkpoints are taken again, and the sink bean's sends
 * commit again; the output of both runs is exactly once.
 */
class LifecycleRestartIT {

	private static final int BATCH = 3_000;

	private static final int KEYS = 100;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void stopThenStartResumesThePipelineAndTheSinkBeanExactlyOnce() throws Exception {
		String bootstrap = this.kafka.bootstrapServers();
		String input = KafkaTestBroker.uniqueTopicName("restart-in");
		String output = KafkaTestBroker.uniqueTopicName("restart-out");
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		// ids in the order they are written, so per-key order holds across the sends
		List<TestRecords.Input> expected = new ArrayList<>(TestRecords.produce(bootstrap, input, 0, BATCH, KEYS));
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(bootstrap, input, output, "exactly-once", "restart")
			.run(PassThroughApplication.class)) {
			KafkaStreamLifecycle lifecycle = context.getBean(KafkaStreamLifecycle.class);
			KafkaStreamRuntime runtime = lifecycle.getRuntime();
			KafkaStreamSink sink = context.getBean("outSink", KafkaStreamSink.class);
			await().atMost(Duration.ofSeconds(60)).until(() -> committedInput(input) == BATCH);
			expected.add(sendThroughTheSinkBean(sink, BATCH));

			context.stop();
			assertThat(lifecycle.isRunning()).isFalse();
			assertThat(runtime.pipelines()).allSatisfy((pipeline) -> assertThat(pipeline.state())
				.isEqualTo(PipelineState.STOPPED));
			expected.addAll(TestRecords.produce(bootstrap, input, BATCH + 1, BATCH, KEYS));

			context.start();
			assertThat(lifecycle.isRunning()).isTrue();
			assertThat(runtime.pipelines()).allSatisfy((pipeline) -> assertThat(pipeline.state())
				.isIn(PipelineState.STARTING, PipelineState.RUNNING));
			CheckpointCoordinator checkpoints = runtime.checkpoints();
			long completed = checkpoints.counts().completed();
			await().atMost(Duration.ofSeconds(60)).until(() -> committedInput(input) == 2 * BATCH);
			assertThat(checkpoints.counts().completed()).as("checkpoints after the restart").isGreaterThan(completed);
			expected.add(sendThroughTheSinkBean(sink, 2 * BATCH + 1));
		}
		ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(bootstrap, output, expected)
			.awaitExactlyOnce(Duration.ofSeconds(60));
		assertThat(result.recordsRead()).isEqualTo(2 * BATCH + 2);
	}

	/**
	 * Sends one record through the sink bean and waits until its transaction committed.
	 */
	private TestRecords.Input sendThroughTheSinkBean(KafkaStreamSink sink, long id) throws Exception {
		TestRecords.Input record = new TestRecords.Input(id, TestRecords.key(id, KEYS), TestRecords.value(id));
		assertThat(sink.send(OutputRecord.of(record.key(), record.value())).get(30, TimeUnit.SECONDS)).isNotNull();
		return record;
	}

	private long committedInput(String input) throws Exception {
		return TopicContent.committedTotal(this.kafka.admin(), input);
	}

}
