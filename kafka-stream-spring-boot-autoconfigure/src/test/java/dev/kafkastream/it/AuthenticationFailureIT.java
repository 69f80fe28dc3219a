package dev.kafkastream.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import dev.kafkastream.actuate.KafkaStreamHealthIndicator;
import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.runtime.WorkerStatus;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker with a {@code SASL_PLAINTEXT} PLAIN listener and a wrong password: the
 * pipeline fails at its first attempt with one error naming the source or sink whose
 * client was refused, health is DOWN, and nothing is committed.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuthenticationFailureIT {

	private static final String PASSWORD = "right-Password-1";

	private static final String WRONG_PASSWORD = "wrong-Password-2";

	private static EmbeddedKafkaBrokerSupport kafka;

	private static String saslServers;

	@BeforeAll
	static void startBrokerWithSaslListener() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		saslServers = "localhost:" + port;
		kafka = EmbeddedKafkaBrokerSupport.start(Map.of("listeners",
				"EXTERNAL://localhost:0,CONTROLLER://localhost:0,SASL_PLAINTEXT://localhost:" + port,
				"listener.security.protocol.map",
				"EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT", "sasl.enabled.mechanisms",
				"PLAIN", "listener.name.sasl_plaintext.plain.sasl.jaas.config",
				"org.apache.kafka.common.security.plain.PlainLoginModule required user_app=\"" + PASSWORD + "\";"));
	}

	@AfterAll
	static void stopBroker() {
		kafka.close();
	}

	@Test
	void wrongSourcePasswordFailsThePipelineAtOnceAndCommitsNothing(CapturedOutput output) throws Exception {
		assertRefusedAtOnce("auth-source-in", "kafka-stream.sources.in", "Source 'in'", output);
	}

	@Test
	void wrongSinkPasswordFailsThePipelineAtOnceAndCommitsNothing(CapturedOutput output) throws Exception {
		assertRefusedAtOnce("auth-sink-in", "kafka-stream.sinks.out", "Sink 'out'", output);
	}

	private void assertRefusedAtOnce(String topic, String refusedPrefix, String refused, CapturedOutput output)
			throws Exception {
		String input = KafkaTestBroker.uniqueTopicName(topic);
		try (ConfigurableApplicationContext context = start(input,
				"--" + refusedPrefix + ".security.sasl.password=" + WRONG_PASSWORD)) {
			Pipeline pipeline = awaitFailed(context);
			assertThat(pipeline.failure()).isEqualTo("kafka-stream-in-0: dev.kafkastream.core.NonRetryableException: "
					+ refused + " could not authenticate to Kafka: SaslAuthenticationException: "
					+ "Authentication failed: Invalid username or password. Retrying cannot fix this: check the"
					+ " security settings ('" + refusedPrefix + ".security', 'kafka-stream.security') and the"
					+ " broker's users and ACLs.");
			assertNothingCommitted(context, pipeline, input);
		}
		assertThat(output).doesNotContain(PASSWORD, WRONG_PASSWORD);
	}

	private ConfigurableApplicationContext start(String input, String wrongPassword) {
		String outputTopic = input.replace("-in", "-out");
		kafka.createTopic(input, 1);
		kafka.createTopic(outputTopic, 1);
		TestRecords.produce(kafka.bootstrapServers(), input, 100, 10);
		return PipelineArguments.inToOut(saslServers, input, outputTopic, "exactly-once", "auth-it")
			.with("--kafka-stream.security.protocol=SASL_PLAINTEXT", "--kafka-stream.security.sasl.mechanism=PLAIN",
					"--kafka-stream.security.sasl.username=app", "--kafka-stream.security.sasl.password=" + PASSWORD,
					"--kafka-stream.recovery.max-attempts=1000", wrongPassword)
			.run(PassThroughApplication.class);
	}

	private static Pipeline awaitFailed(ConfigurableApplicationContext context) {
		Pipeline pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
		await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.FAILED);
		return pipeline;
	}

	private static void assertNothingCommitted(ConfigurableApplicationContext context, Pipeline pipeline,
			String input) throws Exception {
		assertThat(pipeline.workers()).extracting(WorkerStatus::consecutiveFailures).containsExactly(1);
		assertThat(context.getBean(KafkaStreamHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.DOWN);
		assertThat(TopicContent.committedOffsets(kafka.admin(), input)).isEmpty();
		TopicContent written = TopicContent.readCommitted(kafka.bootstrapServers(), input.replace("-in", "-out"));
		assertThat(written.records()).isEmpty();
	}

}
