package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.checkpoint.CheckpointState;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the starter's exactly-once pipeline, from properties to a real broker, over
 * 100,000 records on three partitions with two workers.
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
			assertThat(runtime.pipeline("in").orElseThrow().state()).isEqualTo(PipelineState.RUNNING);
			assertThat(runtime.pipeline("in").orElseThrow().workers()).hasSize(2);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(runtime.checkpoints().latestCompleted()).hasValueSatisfying(
						(checkpoint) -> assertThat(checkpoint.offsets().values().stream().mapToLong(Long::longValue).sum())
							.isEqualTo(RECORDS)));
			assertThat(runtime.checkpoints().history()).isNotEmpty()
				.allSatisfy((checkpoint) -> assertThat(checkpoint.state()).isNotEqualTo(CheckpointState.FAILED));
		}
	}

	private ConfigurableApplicationContext start(String input, String output, String guarantee) {
		return new SpringApplicationBuilder(PassThroughApplication.class).web(WebApplicationType.NONE)
			.run("--kafka-stream.bootstrap-servers=" + this.kafka.bootstrapServers(),
					"--kafka-stream.instance-id=eos-it", "--kafka-stream.checkpoint.interval=500ms",
					"--kafka-stream.sources.in.topics=" + input, "--kafka-stream.sources.in.group-id=" + input,
					"--kafka-stream.sources.in.concurrency=2", "--kafka-stream.sinks.out.topic=" + output,
					"--kafka-stream.sinks.out.delivery-guarantee=" + guarantee,
					"--kafka-stream.sinks.out.transactional-id-prefix=" + output);
	}

}
