package dev.kafkastream.it;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.kafkastream.test.ChildJvm;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application whose class path has neither Jackson nor spring-kafka (nor Spring Boot's
 * modules for them) runs a pipeline of text exactly once, and one that asks for JSON
 * fails at start naming the format property and both missing libraries.
 */
class WithoutJsonLibrariesIT {

	private static final int RECORDS = 100;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@TempDir
	Path logs;

	@Test
	void textPipelineRunsWithoutJacksonAndSpringKafka() {
		String input = KafkaTestBroker.uniqueTopicName("nojson-in");
		String output = KafkaTestBroker.uniqueTopicName("nojson-out");
		this.kafka.createTopic(input, 2);
		this.kafka.createTopic(output, 2);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, 5);
		try (ChildJvm application = child(arguments(input, output), "text")) {
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(2));
			assertThat(application.isAlive()).as("log:%n%s", application.logTail(60)).isTrue();
		}
	}

	@Test
	void jsonFormatFailsAtStartNamingThePropertyAndTheMissingLibraries() {
		String input = KafkaTestBroker.uniqueTopicName("nojson-fail-in");
		String output = KafkaTestBroker.uniqueTopicName("nojson-fail-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		try (ChildJvm application = child(arguments(input, output).with("--kafka-stream.sources.in.value-format=json"),
				"json")) {
			Integer exitCode = application.waitFor(Duration.ofMinutes(1));
			String log = application.logTail(200);
			assertThat(exitCode).as("log:%n%s", log).isNotNull().isNotZero();
			assertThat(log).contains("APPLICATION FAILED TO START")
				.contains("Format 'json' needs Jackson 3 (tools.jackson.databind.json.JsonMapper) and spring-kafka"
						+ " (org.springframework.kafka.support.serializer.JacksonJsonSerializer) on the class path")
				.contains("(property 'kafka-stream.sources.in.value-format')")
				.doesNotContain("NoClassDefFoundError");
		}
	}

	private PipelineArguments arguments(String input, String output) {
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once",
				"nojson-it");
	}

	private ChildJvm child(PipelineArguments arguments, String name) {
		return ChildJvm.builder(PassThroughApplication.class)
			.classpath(withoutJsonLibraries(ChildJvm.currentClasspath()))
			.jvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1")
			.args(arguments.toList())
			.logFile(this.logs.resolve(name + ".log"))
			.start();
	}

	private static String withoutJsonLibraries(String classpath) {
		List<String> entries = Arrays.asList(classpath.split(File.pathSeparator));
		String kept = entries.stream()
			.filter((entry) -> !isJsonLibrary(entry.replace(File.separatorChar, '/')))
			.collect(Collectors.joining(File.pathSeparator));
		assertThat(kept.split(File.pathSeparator)).as("entries removed").hasSizeLessThan(entries.size() - 3);
		return kept;
	}

	private static boolean isJsonLibrary(String entry) {
		return entry.contains("/tools/jackson/") || entry.contains("/spring-boot-jackson")
				|| entry.contains("/org/springframework/kafka/") || entry.contains("/spring-boot-kafka");
	}

}
