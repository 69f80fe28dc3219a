package dev.kafkastream.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/health}, {@code /actuator/health/readiness} and
 * {@code /actuator/health/liveness} of a running pipeline, read over HTTP: UP and ready
 * while it runs, OUT_OF_SERVICE while its lag is above the maximum, DOWN and not ready
 * (but live: a restart would fail on the same record) after its source failed on a
 * record.
 */
class KafkaStreamHealthIT {

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void outOfServiceWhileTheLagIsAboveTheMaximumAndUpOnceReadAgain() {
		String input = KafkaTestBroker.uniqueTopicName("health-lag-in");
		try (ConfigurableApplicationContext context = run(input, "--management.health.kafkastream.max-lag=100",
				"--kafka-stream.lag.refresh-interval=200ms",
				// the gated handler holds up checkpoints; only the lag is under test
				"--kafka-stream.checkpoint.timeout=2m", "--management.health.kafkastream.max-checkpoint-age=10m")) {
			ActuatorHttp health = ActuatorHttp.of(context);
			GatedApplication.GatedHandler handler = context.getBean(GatedApplication.GatedHandler.class);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				ActuatorHttp.Response response = health.get("health");
				assertThat(response.status()).as(response.toString()).isEqualTo(200);
				assertThat(response.<String>read("$.components.kafkaStream.status")).isEqualTo("UP");
				assertThat(response.<String>read("$.components.kafkaStream.details.pipelines.in.state"))
					.isEqualTo("RUNNING");
				assertThat(health.get("health/readiness").status()).isEqualTo(200);
			});
			handler.close();
			TestRecords.produce(this.kafka.bootstrapServers(), input, 300, 10);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				ActuatorHttp.Response response = health.get("health");
				assertThat(response.status()).as(response.toString()).isEqualTo(503);
				assertThat(response.<String>read("$.status")).isEqualTo("OUT_OF_SERVICE");
				assertThat(response.<String>read("$.components.kafkaStream.status")).isEqualTo("OUT_OF_SERVICE");
				assertThat(response.<Integer>read("$.components.kafkaStream.details.pipelines.in.lag")).isEqualTo(300);
				assertThat(response.<Boolean>read("$.components.kafkaStream.details.pipelines.in.lagStale")).isFalse();
				assertThat(response.<List<String>>read("$.components.kafkaStream.details.reasons"))
					.containsExactly("The lag of source 'in' is 300 records, more than 100");
			});
			assertThat(health.get("health/readiness").status())
				.as("a source behind is still ready: the lag is not a reason to take the instance out")
				.isEqualTo(200);
			handler.open();
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				ActuatorHttp.Response response = health.get("health");
				assertThat(response.status()).as(response.toString()).isEqualTo(200);
				assertThat(response.<Integer>read("$.components.kafkaStream.details.pipelines.in.lag")).isZero();
			});
		}
	}

	@Test
	void downAndNotReadyButLiveOnceTheSourceFailedOnARecord() {
		String input = KafkaTestBroker.uniqueTopicName("health-fail-in");
		try (ConfigurableApplicationContext context = run(input, "--kafka-stream.sources.in.on-handler-error=fail",
				"--kafka-stream.sources.in.handler-max-attempts=1", "--kafka-stream.recovery.max-attempts=1")) {
			ActuatorHttp health = ActuatorHttp.of(context);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(health.get("health/readiness").status()).isEqualTo(200));
			TestRecords.send(this.kafka.bootstrapServers(), input,
					List.of(new TestRecords.Input(1, "k", GatedApplication.POISON)));
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				ActuatorHttp.Response response = health.get("health");
				assertThat(response.status()).as(response.toString()).isEqualTo(503);
				assertThat(response.<String>read("$.components.kafkaStream.status")).isEqualTo("DOWN");
				assertThat(response.<String>read("$.components.kafkaStream.details.pipelines.in.state"))
					.isEqualTo("FAILED");
				assertThat(response.<String>read("$.components.kafkaStream.details.pipelines.in.failure"))
					.contains("The handler failed on the record at " + input + "-0@0", "poison record");
			});
			ActuatorHttp.Response readiness = health.get("health/readiness");
			assertThat(readiness.status()).as(readiness.toString()).isEqualTo(503);
			assertThat(readiness.<String>read("$.components.kafkaStreamReadiness.status")).isEqualTo("OUT_OF_SERVICE");
			assertThat(readiness.<String>read("$.components.kafkaStreamReadiness.details.notReady.in"))
				.isEqualTo("FAILED");
			ActuatorHttp.Response liveness = health.get("health/liveness");
			assertThat(liveness.status()).as("a restart would fail on the same record: " + liveness)
				.isEqualTo(200);
			assertThat(liveness.<String>read("$.components.kafkaStreamLiveness.status")).isEqualTo("UP");
		}
	}

	/**
	 * Runs {@link GatedApplication} from the input topic, created with one partition, to
	 * an output topic of its own.
	 */
	private ConfigurableApplicationContext run(String input, String... arguments) {
		String output = input + "-out";
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		List<String> all = new ArrayList<>(ActuatorHttp.WEB_ARGUMENTS);
		all.add("--management.endpoints.web.exposure.include=health");
		all.addAll(List.of(arguments));
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), input, output, "at-least-once", input)
			.with(all.toArray(String[]::new))
			.run(GatedApplication.class);
	}

}
