package dev.kafkastream.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kafkastream.autoconfigure.KafkaStreamExitCodeGenerator;
import dev.kafkastream.autoconfigure.KafkaStreamProcessExit;
import dev.kafkastream.test.ChildJvm;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ExitCodeEvent;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the application does once a source failed, {@code kafka-stream.on-pipeline-failure}:
 * {@code stop-application} closes it, the other pipeline with its final checkpoint, and
 * the process exits with {@link KafkaStreamExitCodeGenerator#FAILED}; {@code keep-running}
 * keeps it, with liveness {@code DOWN} and Spring Boot's liveness state {@code BROKEN}
 * for a failure a restart cures.
 */
class PipelineFailureIT {

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@TempDir
	Path logs;

	@Test
	void stopApplicationExitsWithTheFailedCodeAfterTheFinalCheckpointOfTheOtherPipeline() throws Exception {
		String in = topic("stop-in");
		String out = topic("stop-out");
		String json = topic("stop-json");
		PipelineArguments arguments = arguments(in, out, json, "stop-application")
			// no periodic checkpoint: only the final one commits what source 'in' handled
			.with("--kafka-stream.checkpoint.interval=1h");
		try (ChildJvm app = ChildJvm.builder(TwoSourcesApplication.class)
			.jvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1")
			.args(arguments.toList())
			.logFile(this.logs.resolve("stop.log"))
			.start()) {
			TestRecords.produce(this.kafka.bootstrapServers(), in, 20, 4);
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(TopicContent.readCommitted(this.kafka.bootstrapServers(), out).records())
					.as("log:%n%s", app.logTail(40))
					.hasSize(20));
			assertThat(TopicContent.committedTotal(this.kafka.admin(), in)).as("committed before the failure").isZero();
			TestRecords.send(this.kafka.bootstrapServers(), json, List.of(new TestRecords.Input(1, "k", "not json")));
			Integer exitCode = app.waitFor(Duration.ofSeconds(90));
			assertThat(exitCode).as("exit code; log:%n%s", app.logTail(60)).isEqualTo(KafkaStreamExitCodeGenerator.FAILED);
			assertThat(TopicContent.committedOffsets(this.kafka.admin(), in))
				.isEqualTo(Map.of(new TopicPartition(in, 0), 20L));
			assertThat(app.logTail(200)).contains(
					"Pipeline 'json' failed and kafka-stream.on-pipeline-failure is stop-application: closing the application",
					"Exiting with status 3");
		}
	}

	@Test
	void stopApplicationHandsTheCodeToTheProcessExitAfterTheExitCodeEvent() {
		String in = topic("exit-in");
		String out = topic("exit-out");
		String json = topic("exit-json");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TwoSourcesApplication.class,
				RecordedExit.class)
			.run(arguments(in, out, json, "stop-application").with("--spring.main.web-application-type=none")
				.toList()
				.toArray(String[]::new))) {
			RecordedExit recorded = context.getBean(RecordedExit.class);
			TestRecords.send(this.kafka.bootstrapServers(), json, List.of(new TestRecords.Input(1, "k", "not json")));
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(recorded.exitCodes).containsExactly(3));
			assertThat(recorded.events).containsExactly(3);
			assertThat(context.isActive()).as("closed before the process exit was called").isFalse();
		}
	}

	@Test
	void keepRunningStaysWithLivenessDownAndBrokenAfterAFailureARestartCures() {
		String in = topic("keep-in");
		String out = topic("keep-out");
		String json = topic("keep-json");
		List<String> all = new ArrayList<>(ActuatorHttp.WEB_ARGUMENTS);
		all.add("--management.endpoints.web.exposure.include=health");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TwoSourcesApplication.class,
				RecordedExit.class)
			.run(arguments(in, out, json, "keep-running").with(all.toArray(String[]::new))
				.toList()
				.toArray(String[]::new))) {
			ActuatorHttp health = ActuatorHttp.of(context);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(health.get("health/liveness").status()).isEqualTo(200));
			TestRecords.send(this.kafka.bootstrapServers(), in,
					List.of(new TestRecords.Input(1, "k", TwoSourcesApplication.OUT_OF_MEMORY)));
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				ActuatorHttp.Response liveness = health.get("health/liveness");
				assertThat(liveness.status()).as(liveness.toString()).isEqualTo(503);
				assertThat(liveness.<String>read("$.components.kafkaStreamLiveness.status")).isEqualTo("DOWN");
				assertThat(liveness.<String>read("$.components.kafkaStreamLiveness.details.failed.in"))
					.contains("OutOfMemoryError");
				assertThat(liveness.<String>read("$.components.livenessState.status")).isEqualTo("DOWN");
			});
			assertThat(context.getBean(ApplicationAvailability.class).getLivenessState()).isEqualTo(LivenessState.BROKEN);
			RecordedExit recorded = context.getBean(RecordedExit.class);
			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(context.isActive() && recorded.exitCodes.isEmpty()).isTrue());
			assertThat(health.get("health").<String>read("$.components.kafkaStream.status")).isEqualTo("DOWN");
		}
	}

	private PipelineArguments arguments(String in, String out, String json, String onPipelineFailure) {
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), in, out, "at-least-once", in)
			.with("--kafka-stream.sources.json.topics=" + json, "--kafka-stream.sources.json.group-id=" + json,
					"--kafka-stream.sources.json.value-format=json",
					"--kafka-stream.sources.json.on-deserialization-error=fail",
					"--kafka-stream.recovery.max-attempts=1",
					"--kafka-stream.on-pipeline-failure=" + onPipelineFailure);
	}

	private String topic(String name) {
		String topic = KafkaTestBroker.uniqueTopicName(name);
		this.kafka.createTopic(topic, 1);
		return topic;
	}

	/**
	 * Records the exit codes handed to the process exit and published as
	 * {@link ExitCodeEvent}s, instead of ending the test's JVM.
	 */
	@Configuration(proxyBeanMethods = false)
	static class RecordedExit {

		final List<Integer> exitCodes = new CopyOnWriteArrayList<>();

		final List<Integer> events = new CopyOnWriteArrayList<>();

		@Bean
		KafkaStreamProcessExit recordedProcessExit() {
			return this.exitCodes::add;
		}

		@Bean
		ApplicationListener<ExitCodeEvent> exitCodeEvents() {
			return (event) -> this.events.add(event.getExitCode());
		}

	}

}
