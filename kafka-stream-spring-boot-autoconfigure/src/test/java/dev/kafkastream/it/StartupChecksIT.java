package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kafkastream.autoconfigure.KafkaStreamConfigurationException;
import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.runtime.KafkaClients;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The start-up dry run ({@code kafka-stream.validate-on-startup}) against the shared
 * embedded broker, which does not create topics: a missing source topic, a pattern that
 * matches nothing, a missing sink or dead-letter topic fail the start naming the property,
 * every problem at once, before anything is processed or committed; {@code warn} starts
 * and logs them; {@code off} asks the broker nothing. The workers hold processing until
 * the checks are done.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupChecksIT {

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void missingSourceTopicFailsNamingIt() {
		String input = KafkaTestBroker.uniqueTopicName("checks-no-source");
		this.kafka.createTopic(input + "-out", 1);
		assertThat(arguments(input).startFailure()).satisfies((failure) -> {
			assertThat(failure.property()).isEqualTo("kafka-stream.sources.in.topics");
			assertThat(failure.getMessage()).isEqualTo("Source 'in' reads topic '" + input
					+ "', which does not exist (property 'kafka-stream.sources.in.topics'). Create it, or fix the property.");
		});
	}

	@Test
	void patternMatchingNoTopicFails() {
		String input = KafkaTestBroker.uniqueTopicName("checks-pattern");
		this.kafka.createTopic(input + "-out", 1);
		KafkaStreamConfigurationException failure = arguments(input)
			.with("--kafka-stream.sources.in.topics=", "--kafka-stream.sources.in.topic-pattern=" + input + "-in-.*")
			.startFailure();
		assertThat(failure.property()).isEqualTo("kafka-stream.sources.in.topic-pattern");
		assertThat(failure.getMessage()).isEqualTo("Source 'in' reads a topic matching '" + input
				+ "-in-.*', which does not exist (property 'kafka-stream.sources.in.topic-pattern'). Create a topic it"
				+ " matches, or fix the pattern.");
	}

	@Test
	void missingSinkTopicFailsWhenTheBrokerDoesNotCreateTopics() {
		String input = KafkaTestBroker.uniqueTopicName("checks-no-sink");
		this.kafka.createTopic(input, 1);
		KafkaStreamConfigurationException failure = arguments(input).startFailure();
		assertThat(failure.property()).isEqualTo("kafka-stream.sinks.out.topic");
		assertThat(failure.getMessage()).isEqualTo("Sink 'out' writes records to topic '" + input
				+ "-out', which does not exist, and the brokers do not create topics (auto.create.topics.enable=false)"
				+ " (property 'kafka-stream.sinks.out.topic'). Create the topic, or fix the property.");
	}

	@Test
	void missingDeadLetterTopicFailsWhenTheBrokerDoesNotCreateTopics() {
		String input = KafkaTestBroker.uniqueTopicName("checks-no-dlt");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(input + "-out", 1);
		KafkaStreamConfigurationException failure = arguments(input)
			.with("--kafka-stream.sources.in.on-handler-error=dead-letter")
			.startFailure();
		assertThat(failure.property()).isEqualTo("kafka-stream.sources.in.dead-letter-topic");
		assertThat(failure.getMessage()).isEqualTo("Source 'in' writes dead letters to topic '" + input
				+ ".DLT', which does not exist, and the brokers do not create topics (auto.create.topics.enable=false)"
				+ " (property 'kafka-stream.sources.in.dead-letter-topic'). Create the topic, or set the property to"
				+ " an existing topic.");
	}

	@Test
	void everyProblemIsListedAtOnce() {
		String input = KafkaTestBroker.uniqueTopicName("checks-all");
		this.kafka.createTopic(input, 1);
		KafkaStreamConfigurationException failure = arguments(input)
			.with("--kafka-stream.sources.in.on-deserialization-error=dead-letter",
					"--kafka-stream.sources.in.dead-letter-topic=" + input + "-dead")
			.startFailure();
		assertThat(failure.property())
			.isEqualTo("kafka-stream.sinks.out.topic', 'kafka-stream.sources.in.dead-letter-topic");
		assertThat(failure.getMessage()).startsWith("The start-up checks found 2 problems:\n")
			.contains("\n  - Sink 'out' writes records to topic '" + input + "-out', which does not exist")
			.contains("\n  - Source 'in' writes dead letters to topic '" + input + "-dead', which does not exist")
			.endsWith("Fix each problem listed, or set kafka-stream.validate-on-startup=warn to start anyway.");
	}

	@Test
	void failingCheckLeavesNoOutputAndNoCommittedOffsets() throws Exception {
		String input = KafkaTestBroker.uniqueTopicName("checks-nothing-processed");
		this.kafka.createTopic(input, 2);
		this.kafka.createTopic(input + "-out", 1);
		TestRecords.produce(this.kafka.bootstrapServers(), input, 200, 10);
		arguments(input).with("--kafka-stream.sources.in.on-handler-error=dead-letter").startFailure();
		assertThat(TopicContent.committedOffsets(this.kafka.admin(), input)).isEmpty();
		assertThat(TopicContent.readCommitted(this.kafka.bootstrapServers(), input + "-out").highWatermarks())
			.isZero();
	}

	@Test
	void heldWorkersJoinButProcessAndCommitNothingUntilReleased() throws Exception {
		String input = KafkaTestBroker.uniqueTopicName("checks-held");
		this.kafka.createTopic(input, 2);
		this.kafka.createTopic(input + "-out", 1);
		TestRecords.produce(this.kafka.bootstrapServers(), input, 200, 10);
		try (ConfigurableApplicationContext context = arguments(input)
			.with("--kafka-stream.auto-startup=false", "--kafka-stream.sources.in.concurrency=2")
			.run(PassThroughApplication.class)) {
			KafkaStreamRuntime runtime = context.getBean(KafkaStreamLifecycle.class).getRuntime();
			runtime.startHeld();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> runtime.pipeline("in").orElseThrow().state() == PipelineState.RUNNING);
			// joined and positioned: four checkpoint intervals without output or commits
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> {
				TopicContent output = TopicContent.readCommitted(this.kafka.bootstrapServers(), input + "-out");
				return output.highWatermarks() == 0
						&& TopicContent.committedOffsets(this.kafka.admin(), input).isEmpty();
			});
			runtime.release();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> TopicContent.committedTotal(this.kafka.admin(), input) == 200);
			assertThat(TopicContent.readCommitted(this.kafka.bootstrapServers(), input + "-out").records())
				.hasSize(200);
		}
	}

	@Test
	void warnStartsAndLogsTheProblems(CapturedOutput output) {
		String input = KafkaTestBroker.uniqueTopicName("checks-warn");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(input + "-out", 1);
		TestRecords.produce(this.kafka.bootstrapServers(), input, 50, 5);
		try (ConfigurableApplicationContext context = arguments(input)
			.with("--kafka-stream.sources.in.on-handler-error=dead-letter", "--kafka-stream.validate-on-startup=warn")
			.run(PassThroughApplication.class)) {
			assertThat(output).contains("The start-up check found a problem: Source 'in' writes dead letters to topic '"
					+ input + ".DLT', which does not exist")
				.contains("starting anyway (kafka-stream.validate-on-startup=warn)");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> TopicContent.committedTotal(this.kafka.admin(), input) == 50);
		}
	}

	@Test
	void offAsksTheBrokerNothing(CapturedOutput output) {
		String input = KafkaTestBroker.uniqueTopicName("checks-off");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(input + "-out", 1);
		TestRecords.produce(this.kafka.bootstrapServers(), input, 50, 5);
		try (ConfigurableApplicationContext context = arguments(input)
			.with("--kafka-stream.sources.in.on-handler-error=dead-letter", "--kafka-stream.validate-on-startup=off",
					"--spring.main.sources=" + RecordingClients.class.getName())
			.run(PassThroughApplication.class)) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> TopicContent.committedTotal(this.kafka.admin(), input) == 50);
			assertThat(context.getBean(RecordingClients.class).adminClientIds)
				.noneMatch((clientId) -> clientId.endsWith("-startup-checks"));
			assertThat(output).doesNotContain("start-up check");
		}
	}

	@Test
	void checksUseTheirOwnAdminClient() {
		String input = KafkaTestBroker.uniqueTopicName("checks-admin");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(input + "-out", 1);
		try (ConfigurableApplicationContext context = arguments(input)
			.with("--spring.main.sources=" + RecordingClients.class.getName(),
					"--logging.level.dev.kafkastream.autoconfigure.StartupChecks=debug")
			.run(PassThroughApplication.class)) {
			assertThat(context.getBean(RecordingClients.class).adminClientIds).contains("kafka-stream-checks-startup-checks");
		}
	}

	private PipelineArguments arguments(String input) {
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), input, input + "-out", "at-least-once",
				"checks");
	}

	/**
	 * Standard clients that record the client id of every admin client created.
	 */
	@Configuration(proxyBeanMethods = false)
	static class RecordingClients implements KafkaClients {

		final List<String> adminClientIds = new CopyOnWriteArrayList<>();

		@Override
		public org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> createConsumer(Map<String, Object> config) {
			return KafkaClients.standard().createConsumer(config);
		}

		@Override
		public org.apache.kafka.clients.producer.Producer<byte[], byte[]> createProducer(Map<String, Object> config) {
			return KafkaClients.standard().createProducer(config);
		}

		@Override
		public Admin createAdmin(Map<String, Object> config) {
			this.adminClientIds.add(String.valueOf(config.get(AdminClientConfig.CLIENT_ID_CONFIG)));
			return Admin.create(config);
		}

	}

}
