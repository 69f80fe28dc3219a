package dev.kafkastream.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.kafkastream.autoconfigure.KafkaStreamConfigurationException;
import dev.kafkastream.test.KafkaBrokerProcess;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The start-up dry run against a broker with an authorizer ({@code StandardAuthorizer})
 * and automatic topic creation: the application connects as user {@code app} over
 * SASL/PLAIN, whose permissions each test grants; set-up uses the {@code PLAINTEXT}
 * listener, whose anonymous principal is a super user. A missing permission fails the
 * start naming the topic, group or transactional id; with every permission granted the
 * pipeline starts; a missing dead-letter topic passes where the broker creates topics.
 */
class StartupChecksAuthorizationIT {

	private static final String USER = "app";

	private static final String PASSWORD = "app-secret-" + Long.toHexString(System.nanoTime());

	private static KafkaBrokerProcess broker;

	@BeforeAll
	static void startBroker() {
		broker = KafkaBrokerProcess.builder()
			.listener("PLAIN", SecurityProtocol.SASL_PLAINTEXT)
			.brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
			.brokerProperty("super.users", "User:ANONYMOUS")
			.brokerProperty("auto.create.topics.enable", "true")
			.brokerProperty("listener.name.plain.sasl.enabled.mechanisms", "PLAIN")
			.brokerProperty("listener.name.plain.plain.sasl.jaas.config",
					"org.apache.kafka.common.security.plain.PlainLoginModule required user_" + USER + "=\""
							+ PASSWORD + "\";")
			.build()
			.start();
	}

	@AfterAll
	static void stopBroker() {
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void everyPermissionGrantedStartsAndProcesses() {
		String input = topics("granted");
		grant(topic(input), AclOperation.READ);
		grant(group(input), AclOperation.READ);
		grant(topic(input + "-out"), AclOperation.WRITE);
		grant(new ResourcePattern(ResourceType.TRANSACTIONAL_ID, input + "-out", PatternType.PREFIXED),
				AclOperation.WRITE);
		List<TestRecords.Input> inputs = TestRecords.produce(broker.bootstrapServers(), input, 100, 10);
		try (ConfigurableApplicationContext context = securedArguments(input, "exactly-once")
			.run(PassThroughApplication.class)) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> TopicContent.readCommitted(broker.bootstrapServers(), input + "-out").records()
					.size() == inputs.size());
		}
	}

	@Test
	void missingReadOnTheSourceTopicFailsNamingIt() {
		String input = topics("no-read");
		grant(topic(input), AclOperation.DESCRIBE);
		grant(group(input), AclOperation.READ);
		grant(topic(input + "-out"), AclOperation.WRITE);
		KafkaStreamConfigurationException failure = securedArguments(input, "at-least-once").startFailure();
		assertThat(failure.property()).isEqualTo("kafka-stream.sources.in.topics");
		assertThat(failure.getMessage()).isEqualTo("Source 'in' may not read topic '" + input
				+ "': its principal has no READ permission on it (property 'kafka-stream.sources.in.topics'). Grant"
				+ " READ on topic '" + input + "' to the principal the source connects as, or connect as one that"
				+ " has it.");
	}

	@Test
	void everyMissingPermissionIsNamed() {
		String input = topics("none");
		grant(topic(input), AclOperation.DESCRIBE);
		grant(topic(input + "-out"), AclOperation.DESCRIBE);
		KafkaStreamConfigurationException failure = securedArguments(input, "exactly-once").startFailure();
		assertThat(failure.getMessage()).startsWith("The start-up checks found 4 problems:")
			.contains("Source 'in' may not read topic '" + input + "': its principal has no READ permission on it"
					+ " (property 'kafka-stream.sources.in.topics')")
			.contains("Sink 'out' may not write records to topic '" + input + "-out': its principal has no WRITE"
					+ " permission on it (property 'kafka-stream.sinks.out.topic')")
			.contains("Source 'in' may not use consumer group '" + input + "': its principal has no READ permission"
					+ " on it (property 'kafka-stream.sources.in.group-id')")
			.contains("Sink 'out' may not use transactional id '" + input + "-out-authz-in-0': its principal has no"
					+ " WRITE permission on it (property 'kafka-stream.sinks.out.transactional-id-prefix')");
	}

	@Test
	void missingDeadLetterTopicPassesWhereTheBrokerCreatesTopics() {
		String input = topics("auto-created-dlt");
		TestRecords.produce(broker.bootstrapServers(), input, 20, 5);
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(broker.bootstrapServers(), input, input + "-out", "at-least-once", "authz")
			.with("--kafka-stream.sources.in.on-handler-error=dead-letter")
			.run(PassThroughApplication.class)) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> TopicContent.committedTotal(broker.admin(), input) == 20);
		}
	}

	/**
	 * Creates an input topic and its output topic.
	 */
	private static String topics(String prefix) {
		String input = KafkaTestBroker.uniqueTopicName("authz-" + prefix);
		broker.createTopic(input, 1);
		broker.createTopic(input + "-out", 1);
		return input;
	}

	private static PipelineArguments securedArguments(String input, String guarantee) {
		return PipelineArguments.inToOut(broker.bootstrapServers("PLAIN"), input, input + "-out", guarantee, "authz")
			.with("--kafka-stream.security.protocol=SASL_PLAINTEXT", "--kafka-stream.security.sasl.mechanism=PLAIN",
					"--kafka-stream.security.sasl.username=" + USER, "--kafka-stream.security.sasl.password=" + PASSWORD);
	}

	private static ResourcePattern topic(String name) {
		return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
	}

	private static ResourcePattern group(String name) {
		return new ResourcePattern(ResourceType.GROUP, name, PatternType.LITERAL);
	}

	private static void grant(ResourcePattern resource, AclOperation operation) {
		List<AclBinding> bindings = new ArrayList<>();
		bindings.add(new AclBinding(resource,
				new AccessControlEntry("User:" + USER, "*", operation, AclPermissionType.ALLOW)));
		try {
			broker.admin().createAcls(bindings).all().get();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot grant " + operation + " on " + resource, ex);
		}
	}

}
