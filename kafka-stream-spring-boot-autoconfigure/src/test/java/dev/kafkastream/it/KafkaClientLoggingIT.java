package dev.kafkastream.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.kafkastream.test.ChildJvm;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an application logs about its Kafka clients when its logging is Spring Boot's
 * default, everything at INFO: one line per client the starter creates, with its role, its
 * id and what it changes from the client's defaults, secrets masked, and none of the Kafka
 * clients' own INFO lines unless the application asks for them. The application runs in
 * a child JVM, whose logging this test's own configuration does not quieten.
 */
class KafkaClientLoggingIT {

	private static final String SECRET = "not-a-real-key-password";

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@TempDir
	Path logs;

	@Test
	void logsOneLinePerClientAndNoneOfKafkasOwnInfo() throws IOException {
		String input = KafkaTestBroker.uniqueTopicName("noise-in");
		String output = KafkaTestBroker.uniqueTopicName("noise-out");
		List<String> log;
		try (ChildJvm app = startAndProcess(input, output)) {
			assertThat(Files.readAllLines(app.logFile())).as("Kafka's own INFO lines")
				.noneMatch((line) -> line.contains(" INFO ") && line.contains("] org.apache.kafka."));
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(app.logTail(1000)).contains(
						"Created abandoned transactions admin client", "Created source 'in' end offsets admin client"));
			app.stop();
			log = Files.readAllLines(app.logFile());
		}
		assertThat(log).as("Kafka's own INFO lines")
			.noneMatch((line) -> line.contains(" INFO ") && line.contains("] org.apache.kafka."));
		assertThat(log).noneMatch((line) -> line.contains(SECRET));
		String bootstrap = "bootstrap.servers=" + this.kafka.bootstrapServers();
		assertThat(clientLine(log, "source 'in' consumer 0"))
			.contains("client.id kafka-stream-noise-it-in-0, " + bootstrap)
			.contains("group.id=" + input, "isolation.level=read_committed", "max.poll.records=123",
					"ssl.key.password=******")
			.doesNotContain("session.timeout.ms", "deserializer");
		assertThat(clientLine(log, "sink 'out' producer 0"))
			.contains("client.id kafka-stream-noise-it-in-0-producer, " + bootstrap)
			.contains("transactional.id=", "ssl.key.password=******")
			.doesNotContain("max.poll.records");
		assertThat(clientLine(log, "source 'in' end offsets admin client"))
			.contains("client.id kafka-stream-noise-it-in-end-offsets, " + bootstrap, "ssl.key.password=******");
		assertThat(clientLine(log, "abandoned transactions admin client"))
			.contains("client.id kafka-stream-noise-it-transaction-fencer, " + bootstrap);
		assertThat(log).filteredOn((line) -> line.contains("dev.kafkastream.runtime.KafkaClientLog - Created "))
			.as("one line per client")
			.doesNotHaveDuplicates()
			.hasSizeBetween(4, 5);
		assertThat(log).as("the starter's own INFO lines").anyMatch((line) -> line.contains(" assigned ["));
	}

	@Test
	void logsKafkasOwnInfoLinesWhenTheApplicationSetsTheirLevel() throws IOException {
		String input = KafkaTestBroker.uniqueTopicName("noisy-in");
		String output = KafkaTestBroker.uniqueTopicName("noisy-out");
		List<String> log;
		try (ChildJvm app = startAndProcess(input, output, "--logging.level.org.apache.kafka=INFO")) {
			app.stop();
			log = Files.readAllLines(app.logFile());
		}
		assertThat(log).anyMatch((line) -> line.contains("ConsumerConfig values:"))
			.anyMatch((line) -> line.contains("ProducerConfig values:"))
			.anyMatch((line) -> line.contains(" INFO ")
					&& line.contains("org.apache.kafka.common.utils.AppInfoParser"));
		assertThat(log).as("Kafka masks its passwords in its own dump").noneMatch((line) -> line.contains(SECRET));
	}

	/**
	 * Runs the pipeline, with an application's default logging, until it passed records
	 * through.
	 */
	private ChildJvm startAndProcess(String input, String output, String... arguments) {
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, 20, 10);
		ChildJvm app = PipelineArguments
			.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", "noise-it")
			.with("--logging.config=classpath:dev/kafkastream/it/root-info-logback.xml",
					"--kafka-stream.sources.in.properties.max.poll.records=123",
					"--kafka-stream.lag.refresh-interval=200ms",
					// a secret every client is given, and ignores on a PLAINTEXT connection
					"--kafka-stream.properties.ssl.key.password=" + SECRET)
			.with(arguments)
			.startPassThroughInChildJvm(this.logs.resolve(input + ".log"));
		try {
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(1));
			return app;
		}
		catch (RuntimeException | Error ex) {
			app.close();
			throw ex;
		}
	}

	private static String clientLine(List<String> log, String role) {
		List<String> lines = log.stream().filter((line) -> line.contains(" - Created " + role + ": ")).toList();
		assertThat(lines).as(role).hasSize(1);
		return lines.get(0);
	}

}
