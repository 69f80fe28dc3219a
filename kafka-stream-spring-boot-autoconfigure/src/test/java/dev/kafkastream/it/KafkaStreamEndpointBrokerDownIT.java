package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kafkastream.event.CheckpointFailedEvent;
import dev.kafkastream.test.KafkaBrokerProcess;
import dev.kafkastream.test.TestRecords;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker dies under a pipeline with records in flight: the {@code kafkastream}
 * endpoint reports the failed checkpoint with its cause and stale end offsets, a
 * {@link CheckpointFailedEvent} is published, and once the broker is back checkpoints
 * complete again.
 */
class KafkaStreamEndpointBrokerDownIT {

	@Test
	void failedCheckpointIsReportedWithItsCauseWhileTheBrokerIsDown() {
		try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder().build()) {
			kafka.start();
			kafka.createTopic("in", 1);
			kafka.createTopic("out", 1);
			TestRecords.produce(kafka.bootstrapServers(), "in", 5_000, 20);
			List<CheckpointFailedEvent> failures = new CopyOnWriteArrayList<>();
			List<String> args = PipelineArguments
				.inToOut(kafka.bootstrapServers(), "in", "out", "exactly-once", "broker-down")
				.with("--server.port=0", "--server.address=127.0.0.1", "--spring.main.web-application-type=servlet",
						"--management.endpoints.web.exposure.include=kafkastream",
						"--kafka-stream.checkpoint.timeout=2s", "--kafka-stream.lag.refresh-interval=200ms",
						"--kafka-stream.shutdown-timeout=10s", "--test.handler.records-per-second=500")
				.toList();
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PassThroughApplication.class)
				.web(WebApplicationType.SERVLET)
				.listeners((ApplicationListener<CheckpointFailedEvent>) failures::add)
				.run(args.toArray(String[]::new))) {
				ActuatorHttp actuator = ActuatorHttp.of(context);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> actuator.read("kafkastream").path("checkpoints").path("counts").path("completed")
						.asLong() >= 2);
				kafka.kill();
				JsonNode down = await().atMost(Duration.ofSeconds(30))
					.until(() -> actuator.read("kafkastream"),
							(body) -> body.path("checkpoints").hasNonNull("lastFailed")
									&& body.path("sources").path("in").path("endOffsets").path("stale").asBoolean());
				JsonNode failed = down.path("checkpoints").path("lastFailed");
				assertThat(failed.path("state").asString()).isEqualTo("FAILED");
				assertThat(failed.path("failure").asString()).as(failed.toString()).isNotBlank();
				assertThat(down.path("checkpoints").path("counts").path("failed").asLong()).isPositive();
				assertThat(down.path("sources").path("in").path("endOffsets").path("failure").asString()).isNotBlank();
				long failedId = failed.path("id").asLong();
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(failures).extracting((event) -> event.getCheckpoint().id())
						.contains(failedId));
				kafka.start();
				await().atMost(Duration.ofSeconds(60))
					.until(() -> actuator.read("kafkastream").path("checkpoints").path("latestCompleted").path("id")
						.asLong() > failedId);
			}
		}
	}

}
