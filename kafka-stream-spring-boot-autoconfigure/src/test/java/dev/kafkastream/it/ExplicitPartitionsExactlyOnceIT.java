package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

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
 * record once, and one of them must keep running: the one fenced gives way at once.
 * <p>
 * Each instance has one worker. The producer that initialised the shared transactional id
 * last owns it; the other, fenced before its transaction could time out, fails without
 * initialising it again, so exactly one instance is left. (With several workers each
 * instance could lose one worker's contest; see the explicit partitions in
 * docs/sources.md.)
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
			List<Pipeline> failed = Stream.of(first, second)
				.map(ExplicitPartitionsExactlyOnceIT::pipeline)
				.filter((pipeline) -> pipeline.state() == PipelineState.FAILED)
				.toList();
			assertThat(failed).as("the instance that was fenced").hasSize(1);
			assertThat(failed.get(0).failure()).contains("fenced by another producer with its transactional id",
					"kafka-stream.sources.in.partitions");
		}
	}

	private static ConfigurableApplicationContext run(String bootstrap, String input, String output, String instance) {
		return PipelineArguments.inToOut(bootstrap, input, output, "exactly-once", instance)
			.with("--kafka-stream.sources.in.topics=", "--kafka-stream.sources.in.partitions." + input + "=0,1,2",
					"--kafka-stream.sources.in.concurrency=1", "--test.handler.records-per-second=2000")
			.run(PassThroughApplication.class);
	}

	private static Pipeline pipeline(ConfigurableApplicationContext context) {
		return context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
	}

}
