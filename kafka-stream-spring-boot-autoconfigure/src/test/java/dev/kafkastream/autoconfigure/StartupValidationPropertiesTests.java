package dev.kafkastream.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.kafkastream.autoconfigure.ConfigurationFailures.findCause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code kafka-stream.validate-on-startup} and
 * {@code kafka-stream.validation-timeout}: their binding, and a start-up whose brokers do
 * not answer the checks, which starts after the timeout with a warning.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupValidationPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.sources.in.group-id=g",
				"kafka-stream.sources.in.topics=orders", "kafka-stream.sinks.out.topic=out")
		.withUserConfiguration(KafkaStreamHandlerErrorPropertiesTests.UpperCaseConfiguration.class);

	@Test
	void defaultsFailWithinTenSeconds() {
		this.contextRunner.withPropertyValues("kafka-stream.bootstrap-servers=localhost:9092").run((context) -> {
			KafkaStreamProperties properties = context.getBean(KafkaStreamProperties.class);
			assertThat(properties.getValidateOnStartup()).isEqualTo(StartupValidation.FAIL);
			assertThat(properties.getValidationTimeout()).isEqualTo(Duration.ofSeconds(10));
		});
	}

	@Test
	void bindsModeAndTimeout() {
		this.contextRunner
			.withPropertyValues("kafka-stream.bootstrap-servers=localhost:9092", "kafka-stream.validate-on-startup=warn",
					"kafka-stream.validation-timeout=3s")
			.run((context) -> {
				KafkaStreamProperties properties = context.getBean(KafkaStreamProperties.class);
				assertThat(properties.getValidateOnStartup()).isEqualTo(StartupValidation.WARN);
				assertThat(properties.getValidationTimeout()).isEqualTo(Duration.ofSeconds(3));
			});
		this.contextRunner
			.withPropertyValues("kafka-stream.bootstrap-servers=localhost:9092", "kafka-stream.validate-on-startup=OFF")
			.run((context) -> assertThat(context.getBean(KafkaStreamProperties.class).getValidateOnStartup())
				.isEqualTo(StartupValidation.OFF));
	}

	@Test
	void failsForAnUnknownMode() {
		this.contextRunner
			.withPropertyValues("kafka-stream.bootstrap-servers=localhost:9092",
					"kafka-stream.validate-on-startup=strict")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(findCause(context.getStartupFailure(), BindException.class))
					.hasMessageContaining("'kafka-stream.validate-on-startup'");
			});
	}

	@Test
	void brokersThatDoNotAnswerAreSkippedWithAWarningAfterTheTimeout(CapturedOutput output) throws IOException {
		String servers = "127.0.0.1:" + closedPort();
		this.contextRunner
			.withPropertyValues("kafka-stream.bootstrap-servers=" + servers, "kafka-stream.auto-startup=true",
					"kafka-stream.validation-timeout=1s", "kafka-stream.shutdown-timeout=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(KafkaStreamLifecycle.class).isRunning()).isTrue();
				assertThat(output).contains("The brokers at " + servers
						+ " did not answer the start-up checks within PT1S (kafka-stream.validation-timeout): the"
						+ " checks were skipped; the pipelines retry until the brokers answer");
			});
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
