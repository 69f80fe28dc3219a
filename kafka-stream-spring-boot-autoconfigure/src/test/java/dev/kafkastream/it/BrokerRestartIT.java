package dev.kafkastream.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaBrokerProcess;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker dies (SIGKILL) while an exactly-once pipeline is mid-stream and comes back:
 * the pipeline rides out the outage and the output is still exactly once.
 */
class BrokerRestartIT {

	private static final int FIRST_BATCH = 20_000;

	private static final int SECOND_BATCH = 5_000;

	private static final int KEYS = 200;

	@Test
	void exactlyOnceSurvivesABrokerKilledAndRestartedMidStream() throws Exception {
		try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder().build()) {
			kafka.start();
			String bootstrap = kafka.bootstrapServers();
			kafka.createTopic("in", 3);
			kafka.createTopic("out", 3);
			List<TestRecords.Input> inputs = new ArrayList<>(TestRecords.produce(bootstrap, "in", 0, FIRST_BATCH, KEYS));
			try (ConfigurableApplicationContext context = PipelineArguments
				.inToOut(bootstrap, "in", "out", "exactly-once", "broker-restart")
				.with("--kafka-stream.sources.in.concurrency=2", "--test.handler.records-per-second=5000")
				.run(PassThroughApplication.class)) {
				Pipeline pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
				await().atMost(Duration.ofSeconds(60)).until(() -> committedInput(kafka) >= 3_000);
				kafka.kill();
				kafka.start();
				inputs.addAll(TestRecords.produce(bootstrap, "in", FIRST_BATCH, SECOND_BATCH, KEYS));
				ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(bootstrap, "out", inputs)
					.awaitExactlyOnce(Duration.ofMinutes(3));
				assertThat(result.recordsRead()).isEqualTo(FIRST_BATCH + SECOND_BATCH);
				await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
			}
		}
	}

	@Test
	void applicationStartedBeforeTheBrokerIsUpProcessesOnceTheBrokerArrives() {
		try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder().build()) {
			String bootstrap = kafka.bootstrapServers();
			try (ConfigurableApplicationContext context = PipelineArguments
				.inToOut(bootstrap, "in", "out", "exactly-once", "late-broker")
				.with("--kafka-stream.sinks.out.properties.max.block.ms=5000")
				.run(PassThroughApplication.class)) {
				Pipeline pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
				// no broker to join a group with: started, not running
				assertThat(pipeline.state()).isEqualTo(PipelineState.STARTING);
				kafka.start();
				kafka.createTopic("in", 3);
				kafka.createTopic("out", 3);
				List<TestRecords.Input> inputs = TestRecords.produce(bootstrap, "in", 0, 2_000, KEYS);
				ExactlyOnceVerifier.of(bootstrap, "out", inputs).awaitExactlyOnce(Duration.ofMinutes(2));
				await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
			}
		}
	}

	private static long committedInput(KafkaBrokerProcess kafka) throws Exception {
		return TopicContent.committedTotal(kafka.admin(), "in");
	}

}
