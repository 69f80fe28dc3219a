package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Explicit partitions are read without a consumer group, so group metadata cannot fence a
 * second instance that reads them too. Two instances with different instance ids, both
 * configured with the same partitions and an exactly-once sink, must still write every
 * record once: the one started last fences the first, which gives way.
 */
class ExplicitPartitionsExactlyOnceIT {

	private static final int RECORDS = 20_000;

	@Test
	void twoInstancesReadingTheSameExplicitPartitionsWriteEveryRecordOnce() {
		String bootstrap = KafkaTestBroker.embedded().bootstrapServers();
		String input = KafkaTestBroker.uniqueTopicName("explicit-in");
		String output = KafkaTestBroker.uniqueTopicName("explicit-out");
		KafkaTestBroker.embedded().createTopic(input, 3);
		KafkaTestBroker.embedded().createTopic(output, 3);
		List<TestRecords.Input> inputs = TestRecords.produce(bootstrap, input, RECORDS, 500);
		try (ConfigurableApplicationContext first = run(bootstrap, input, output, "first");
				ConfigurableApplicationContext second = run(bootstrap, input, output, "second")) {
			await().atMost(Duration.ofSeconds(90))
				.until(() -> TopicContent.committedTotal(KafkaTestBroker.embedded().admin(), input) == RECORDS);
			ExactlyOnceVerifier verifier = ExactlyOnceVerifier.of(bootstrap, output, inputs);
			ExactlyOnceVerifier.Result result = verifier.awaitAtLeastOnce(Duration.ofSeconds(30));
			assertThat(result.duplicateCount()).as("records written more than once: %s", result).isZero();
			verifier.awaitExactlyOnce(Duration.ofSeconds(30));
			assertThat(pipeline(second).state()).as("the instance that started last").isNotEqualTo(PipelineState.FAILED);
			assertThat(pipeline(first).state()).as("the instance it fenced").isEqualTo(PipelineState.FAILED);
			assertThat(pipeline(first).failure()).contains("fenced by another producer with its transactional id",
					"kafka-stream.sources.in.partitions");
		}
	}

	private static ConfigurableApplicationContext run(String bootstrap, String input, String output, String instance) {
		return PipelineArguments.inToOut(bootstrap, input, output, "exactly-once", instance)
			.with("--kafka-stream.sources.in.topics=", "--kafka-stream.sources.in.partitions." + input + "=0,1,2",
					"--kafka-stream.sources.in.concurrency=2", "--test.handler.records-per-second=2000")
			.run(PassThroughApplication.class);
	}

	private static Pipeline pipeline(ConfigurableApplicationContext context) {
		return context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
	}

}
