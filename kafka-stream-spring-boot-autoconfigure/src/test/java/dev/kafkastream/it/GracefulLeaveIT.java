package dev.kafkastream.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance that stops gracefully leaves its consumer group although its workers are
 * static members, so its partitions move to the instance that stays at once, not after
 * the session timeout (45 s): a scale-down or a rolling deploy does not leave partitions
 * unread.
 */
class GracefulLeaveIT {

	private static final Logger logger = LoggerFactory.getLogger(GracefulLeaveIT.class);

	private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(45);

	private static final int BATCH = 2_000;

	@ParameterizedTest(name = "group.protocol={0}")
	@ValueSource(strings = { "classic", "consumer" })
	void partitionsOfAStoppedInstanceMoveToTheOtherAtOnce(String protocol) throws Exception {
		String bootstrap = KafkaTestBroker.embedded().bootstrapServers();
		String input = KafkaTestBroker.uniqueTopicName("leave-" + protocol + "-in");
		String output = KafkaTestBroker.uniqueTopicName("leave-" + protocol + "-out");
		KafkaTestBroker.embedded().createTopic(input, 4);
		KafkaTestBroker.embedded().createTopic(output, 4);
		List<TestRecords.Input> inputs = new ArrayList<>(TestRecords.produce(bootstrap, input, 0, BATCH, 100));
		try (ConfigurableApplicationContext staying = run(bootstrap, input, output, protocol, "staying")) {
			try (ConfigurableApplicationContext leaving = run(bootstrap, input, output, protocol, "leaving")) {
				await().atMost(Duration.ofSeconds(60))
					.until(() -> committed(input) == BATCH && membersWithPartitions(input) == 2);
			}
			long stopped = System.nanoTime();
			inputs.addAll(TestRecords.produce(bootstrap, input, BATCH, BATCH, 100));
			await().atMost(SESSION_TIMEOUT.plusSeconds(30)).until(() -> committed(input) == 2 * BATCH);
			Duration handedOver = Duration.ofNanos(System.nanoTime() - stopped);
			logger.info("group.protocol={}: every partition was read again {} ms after the other instance stopped",
					protocol, handedOver.toMillis());
			assertThat(handedOver).isLessThan(SESSION_TIMEOUT.dividedBy(3));
			ExactlyOnceVerifier.of(bootstrap, output, inputs).awaitExactlyOnce(Duration.ofSeconds(30));
		}
	}

	private static ConfigurableApplicationContext run(String bootstrap, String input, String output, String protocol,
			String instance) {
		PipelineArguments arguments = PipelineArguments.inToOut(bootstrap, input, output, "exactly-once", instance);
		if (protocol.equals("consumer")) {
			arguments.with("--kafka-stream.sources.in.properties.group.protocol=consumer");
		}
		return arguments.run(PassThroughApplication.class);
	}

	private static long membersWithPartitions(String group) throws Exception {
		return KafkaTestBroker.embedded()
			.admin()
			.describeConsumerGroups(List.of(group))
			.all()
			.get()
			.get(group)
			.members()
			.stream()
			.filter((member) -> !member.assignment().topicPartitions().isEmpty())
			.count();
	}

	private static long committed(String group) throws Exception {
		return TopicContent.committedTotal(KafkaTestBroker.embedded().admin(), group);
	}

}
