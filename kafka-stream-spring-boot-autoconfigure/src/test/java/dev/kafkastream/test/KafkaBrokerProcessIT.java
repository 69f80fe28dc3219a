package dev.kafkastream.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A broker in a child JVM keeps acknowledged data across SIGKILL and restart on the same ports.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaBrokerProcessIT {

	private static final Duration AWAIT = Duration.ofSeconds(60);

	@Test
	void keepsAcknowledgedRecordsAcrossSigkillAndRestart() {
		Path directory;
		try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder().build()) {
			kafka.start();
			directory = kafka.directory();
			String bootstrap = kafka.bootstrapServers();
			log("first start took " + kafka.lastStartupTime().toMillis() + " ms");
			kafka.createTopic("data", 3);
			List<TestRecords.Input> inputs = new ArrayList<>(TestRecords.produce(bootstrap, "data", 1000, 5));

			long pid = kafka.jvm().pid();
			kafka.kill();
			assertThat(kafka.isRunning()).isFalse();
			assertThat(kafka.jvm().exitCode()).isEqualTo(ChildJvm.SIGKILL_EXIT_CODE);
			assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));

			kafka.start();
			log("start after SIGKILL took " + kafka.lastStartupTime().toMillis() + " ms");
			assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
			assertThat(kafka.jvm().pid()).isNotEqualTo(pid);
			ExactlyOnceVerifier.of(bootstrap, "data", inputs).awaitExactlyOnce(AWAIT);

			inputs.addAll(TestRecords.produce(bootstrap, "data", 1000, 500, 5));
			int exitCode = kafka.stop();
			assertThat(exitCode).isIn(0, ChildJvm.SIGTERM_EXIT_CODE);
			assertThat(kafka.logTail(400)).contains("shut down completed");
			kafka.restart();
			log("start after graceful stop took " + kafka.lastStartupTime().toMillis() + " ms");
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(bootstrap, "data", inputs)
				.awaitExactlyOnce(AWAIT);
			assertThat(result.recordsRead()).isEqualTo(1500);
		}
		assertThat(directory).doesNotExist();
	}

	@Test
	void failedStartReportsTheBrokerLog() throws IOException {
		try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder().startTimeout(Duration.ofSeconds(60)).build();
				ServerSocket portThief = new ServerSocket(kafka.port(), 50, InetAddress.getByName("127.0.0.1"))) {
			assertThatThrownBy(kafka::start).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("Broker process exited with code")
				.hasMessageContaining("Last lines of " + kafka.logFile())
				.hasMessageContaining("Address already in use");
			assertThat(kafka.isRunning()).isFalse();
			assertThat(Files.readString(kafka.serverProperties())).contains("process.roles=broker,controller",
					"controller.quorum.voters=1@127.0.0.1:" + kafka.controllerPort());
		}
	}

	private static void log(String message) {
		System.out.println("[KafkaBrokerProcessIT] " + message);
	}

}
