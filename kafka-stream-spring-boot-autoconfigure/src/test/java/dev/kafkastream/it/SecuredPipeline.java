package dev.kafkastream.it;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.kafkastream.actuate.KafkaStreamHealthIndicator;
import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import dev.kafkastream.test.secure.SecuredKafkaBroker;
import dev.kafkastream.test.secure.SecureListener;

import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One run of the exactly-once pass-through pipeline ({@link PassThroughApplication},
 * source {@code in} to sink {@code out}) against a secured listener of the shared
 * {@link SecuredKafkaBroker}: topics of two partitions with {@value #RECORDS} inputs
 * produced over the {@code PLAINTEXT} listener, which is also the one the checks read
 * through, so that only the application under test uses the secured listener.
 */
final class SecuredPipeline {

	static final int RECORDS = 2_000;

	private static final int KEYS = 50;

	private static final Duration AWAIT = Duration.ofSeconds(60);

	private final SecuredKafkaBroker kafka;

	private final String input;

	private final String output;

	private final List<TestRecords.Input> inputs;

	private SecuredPipeline(SecuredKafkaBroker kafka, String name) {
		this.kafka = kafka;
		this.input = KafkaTestBroker.uniqueTopicName(name + "-in");
		this.output = KafkaTestBroker.uniqueTopicName(name + "-out");
		kafka.createTopic(this.input, 2);
		kafka.createTopic(this.output, 2);
		this.inputs = TestRecords.produce(kafka.bootstrapServers(), this.input, RECORDS, KEYS);
	}

	/**
	 * Creates the topics and produces the inputs of a run.
	 * @param kafka the broker
	 * @param name a name for the topics, made unique
	 * @return the run
	 */
	static SecuredPipeline prepare(SecuredKafkaBroker kafka, String name) {
		return new SecuredPipeline(kafka, name);
	}

	/**
	 * The input topic, whose name is also the group id of the source.
	 * @return the topic
	 */
	String input() {
		return this.input;
	}

	/**
	 * The arguments of the application, with the bootstrap servers of a listener and no
	 * security settings: the test adds them.
	 * @param listener the listener the application connects to
	 * @return the arguments
	 */
	PipelineArguments arguments(SecureListener listener) {
		return arguments(this.kafka.bootstrapServers(listener));
	}

	/**
	 * The arguments of the application, with the given bootstrap servers and no security
	 * settings.
	 * @param bootstrapServers the bootstrap servers
	 * @return the arguments
	 */
	PipelineArguments arguments(String bootstrapServers) {
		return PipelineArguments.inToOut(bootstrapServers, this.input, this.output, "exactly-once", "secured-it");
	}

	/**
	 * Runs the application with the given security arguments in this JVM until every input
	 * is committed exactly once and the group committed every input offset.
	 * @param listener the listener the application connects to
	 * @param security the security arguments
	 */
	void runExactlyOnce(SecureListener listener, String... security) {
		try (ConfigurableApplicationContext context = arguments(listener).with(security)
			.run(PassThroughApplication.class)) {
			assertExactlyOnce(context);
		}
	}

	/**
	 * Asserts that the running application commits every input exactly once, in per-key
	 * order, with no open transaction, and that its group commits every input offset.
	 * @param context the running application
	 */
	void assertExactlyOnce(ConfigurableApplicationContext context) {
		Pipeline pipeline = pipeline(context);
		ExactlyOnceVerifier.Result result;
		try {
			result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), this.output, this.inputs)
				.awaitExactlyOnce(AWAIT);
		}
		catch (AssertionError ex) {
			throw new AssertionError("Pipeline " + pipeline.state() + " (" + pipeline.failure() + "): "
					+ ex.getMessage(), ex);
		}
		assertThat(result.recordsRead()).isEqualTo(RECORDS);
		await().atMost(AWAIT).untilAsserted(() -> assertThat(TopicContent.committedTotal(this.kafka.admin(), this.input))
			.as("offsets committed by group %s", this.input)
			.isEqualTo(RECORDS));
		assertThat(pipeline.state()).as("state of the pipeline").isEqualTo(PipelineState.RUNNING);
	}

	/**
	 * Waits for the pipeline of the application to fail, then asserts that health is DOWN,
	 * the group committed no offset and a {@code read_committed} reader sees no output.
	 * @param context the running application
	 * @return the failed pipeline
	 */
	Pipeline awaitFailedWithNothingCommitted(ConfigurableApplicationContext context) throws Exception {
		Pipeline pipeline = pipeline(context);
		await().atMost(AWAIT).until(() -> pipeline.state() == PipelineState.FAILED);
		assertThat(context.getBean(KafkaStreamHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.DOWN);
		Map<?, Long> committed = TopicContent.committedOffsets(this.kafka.admin(), this.input);
		assertThat(committed).as("offsets committed by group %s", this.input).isEmpty();
		assertThat(TopicContent.readCommitted(this.kafka.bootstrapServers(), this.output).records())
			.as("committed output")
			.isEmpty();
		return pipeline;
	}

	/**
	 * The typed properties of a SASL login with a user name and password.
	 * @param protocol the security protocol
	 * @param mechanism the SASL mechanism
	 * @param credentials the user name and password
	 * @return the arguments
	 */
	static String[] passwordLogin(String protocol, String mechanism, SecuredKafkaBroker.Credentials credentials) {
		return new String[] { "--kafka-stream.security.protocol=" + protocol,
				"--kafka-stream.security.sasl.mechanism=" + mechanism,
				"--kafka-stream.security.sasl.username=" + credentials.username(),
				"--kafka-stream.security.sasl.password=" + credentials.password() };
	}

	/**
	 * Command-line arguments setting the given properties, followed by more arguments.
	 * @param properties the properties, such as those of an SSL bundle
	 * @param more more arguments
	 * @return the arguments
	 */
	static String[] arguments(Map<String, String> properties, String... more) {
		return Stream
			.concat(properties.entrySet().stream().map((entry) -> "--" + entry.getKey() + "=" + entry.getValue()),
					Arrays.stream(more))
			.toArray(String[]::new);
	}

	private static Pipeline pipeline(ConfigurableApplicationContext context) {
		return context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
	}

}
