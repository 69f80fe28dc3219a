package dev.kafkastream.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.KafkaBrokerProcess;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The health and probes of a pipeline whose broker comes and goes, read over HTTP: not
 * ready while its source cannot join its group (the broker is not up yet), ready once it
 * joined and positioned its partitions, DOWN once checkpoints fail in a row after the
 * broker stopped (with the lag reported stale), and finally not live: the pipeline failed
 * because the broker could not be reached, which a restart cures.
 */
class KafkaStreamProbesBrokerIT {

	@Test
	void readinessWaitsForTheGroupAndCheckpointsFailingWithTheBrokerGoneAreDownThenBroken() throws Exception {
		try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder().build()) {
			String bootstrap = kafka.bootstrapServers();
			List<String> arguments = new ArrayList<>(ActuatorHttp.WEB_ARGUMENTS);
			arguments.addAll(List.of("--management.endpoints.web.exposure.include=health", "--test.handler.pause-per-record=5ms", "--kafka-stream.lag.refresh-interval=500ms",
					"--kafka-stream.checkpoint.timeout=1s", "--management.health.kafkastream.tolerated-checkpoint-failures=1",
					"--kafka-stream.recovery.max-attempts=4", "--kafka-stream.shutdown-timeout=5s",
					// a worker waiting for the broker fails every 10 s: four times take far longer than the broker's start
					"--kafka-stream.properties.default.api.timeout.ms=10000",
					"--kafka-stream.properties.request.timeout.ms=2000", "--kafka-stream.properties.delivery.timeout.ms=5000",
					"--kafka-stream.properties.max.block.ms=5000"));
			try (ConfigurableApplicationContext context = PipelineArguments
				.inToOut(bootstrap, "in", "out", "at-least-once", "probes")
				.with(arguments.toArray(String[]::new))
				.run(GatedApplication.class)) {
				ActuatorHttp health = ActuatorHttp.of(context);
				Pipeline pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
				assertThat(pipeline.state()).as("no broker to join a group with").isEqualTo(PipelineState.STARTING);
				ActuatorHttp.Response notReady = health.get("health/readiness");
				assertThat(notReady.status()).as(notReady.toString()).isEqualTo(503);
				assertThat(notReady.<String>read("$.components.kafkaStreamReadiness.details.notReady.in"))
					.isEqualTo("STARTING");
				assertThat(health.get("health/liveness").status()).isEqualTo(200);

				kafka.start();
				kafka.createTopic("in", 2);
				kafka.createTopic("out", 2);
				await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
					ActuatorHttp.Response ready = health.get("health/readiness");
					assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
				});
				TestRecords.produce(bootstrap, "in", 0, 3_000, 20);
				await().atMost(Duration.ofSeconds(60)).until(() -> TopicContent.committedTotal(kafka.admin(), "in") >= 300);
				assertThat(health.get("health").status()).isEqualTo(200);

				kafka.kill();
				await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
					ActuatorHttp.Response response = health.get("health");
					assertThat(response.status()).as(response.toString()).isEqualTo(503);
					assertThat(response.<String>read("$.components.kafkaStream.status")).isEqualTo("DOWN");
					assertThat(response.<String>read("$.components.kafkaStream.details.pipelines.in.state"))
						.as("the checkpoints are down, not the pipeline")
						.isEqualTo("RUNNING");
					assertThat(response.<Boolean>read("$.components.kafkaStream.details.pipelines.in.lagStale")).isTrue();
					assertThat(response.<Integer>read("$.components.kafkaStream.details.checkpoints.consecutiveFailures"))
						.isGreaterThan(1);
					assertThat(response.<String>read("$.components.kafkaStream.details.checkpoints.lastFailure"))
						.isNotBlank();
				});
				assertThat(health.get("health/readiness").status())
					.as("a running source stays ready while the broker is away")
					.isEqualTo(200);

				await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
					ActuatorHttp.Response liveness = health.get("health/liveness");
					assertThat(liveness.status()).as(liveness.toString()).isEqualTo(503);
					assertThat(liveness.<String>read("$.components.kafkaStreamLiveness.status")).isEqualTo("DOWN");
				});
				assertThat(pipeline.state()).isEqualTo(PipelineState.FAILED);
				assertThat(health.get("health/readiness").status()).isEqualTo(503);
			}
		}
	}

}
