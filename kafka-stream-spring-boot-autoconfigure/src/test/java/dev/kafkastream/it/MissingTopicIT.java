package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kafkastream.actuate.KafkaStreamHealthIndicator;
import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.runtime.WorkerStatus;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A topic a pipeline writes to does not exist and the broker does not create topics (the
 * shared test broker runs with {@code auto.create.topics.enable=false}): the pipeline
 * fails at the first send, with one message naming the source or sink, the topic, the
 * cause and the fix, instead of retrying {@code recovery.max-attempts} times (set to
 * 1000 here, so a retry would show as a timeout). Nothing past the record is committed
 * and no transaction is left open. The producer's {@code max.block.ms} is 2 s, so the
 * send gives up quickly. Without a transaction the dead letter's send fails the same.
 * <p>
 * The start-up dry run would name the missing topic before the pipeline starts
 * ({@code StartupChecksIT}); it is off here, as it is for a topic deleted while the
 * pipeline runs, to prove the run-time side.
 */
@ExtendWith(OutputCaptureExtension.class)
class MissingTopicIT {

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@ParameterizedTest
	@ValueSource(strings = { "exactly-once", "at-least-once" })
	void missingDeadLetterTopicFailsThePipelineAtTheFirstDeadLetter(String guarantee, CapturedOutput output)
			throws Exception {
		String input = KafkaTestBroker.uniqueTopicName("missing-dlt-in");
		String out = KafkaTestBroker.uniqueTopicName("missing-dlt-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(out, 1);
		produceJson(input, "\"a\"", "{\"truncated\":", "\"c\"");
		try (ConfigurableApplicationContext context = start(input, out,
				"--kafka-stream.sinks.out.delivery-guarantee=" + guarantee,
				"--kafka-stream.sources.in.value-format=json",
				"--kafka-stream.sources.in.on-deserialization-error=dead-letter")) {
			Pipeline pipeline = awaitFailed(context);
			assertThat(pipeline.failure()).isEqualTo("kafka-stream-in-0: dev.kafkastream.core.NonRetryableException: "
					+ "Source 'in' could not write a dead letter to topic '" + input + ".DLT': the topic does not"
					+ " exist and the broker does not create topics (auto.create.topics.enable=false). Create the"
					+ " topic, or set 'kafka-stream.sources.in.dead-letter-topic' to one that exists. The dead letter"
					+ " was the record at " + input + "-0@1; its send failed with TimeoutException: Topic " + input
					+ ".DLT not present in metadata after 2000 ms.; caused by UnknownTopicOrPartitionException: This"
					+ " server does not host this topic-partition.");
			assertFailedAtOnce(context, pipeline);
			assertThat(output).doesNotContain("sent the record at " + input + "-0@1");
			assertNothingCommittedPast(input, 1, out);
		}
	}

	@Test
	void missingSinkTopicFailsThePipelineAtTheFirstSend() throws Exception {
		String input = KafkaTestBroker.uniqueTopicName("missing-sink-in");
		String out = KafkaTestBroker.uniqueTopicName("missing-sink-out");
		this.kafka.createTopic(input, 1);
		TestRecords.produce(this.kafka.bootstrapServers(), input, 3, 1);
		try (ConfigurableApplicationContext context = start(input, out)) {
			Pipeline pipeline = awaitFailed(context);
			assertThat(pipeline.failure()).isEqualTo("kafka-stream-in-0: dev.kafkastream.core.NonRetryableException: "
					+ "Sink 'out' could not write to topic '" + out + "': the topic does not exist and the broker does"
					+ " not create topics (auto.create.topics.enable=false). Create the topic, or set"
					+ " 'kafka-stream.sinks.out.topic' to one that exists. The send failed with TimeoutException:"
					+ " Topic " + out + " not present in metadata after 2000 ms.; caused by"
					+ " UnknownTopicOrPartitionException: This server does not host this topic-partition.");
			assertFailedAtOnce(context, pipeline);
			assertNothingCommittedPast(input, 0, null);
		}
	}

	private ConfigurableApplicationContext start(String input, String out, String... arguments) {
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), input, out, "exactly-once", input)
			.with("--kafka-stream.recovery.max-attempts=1000", "--kafka-stream.sinks.out.properties.max.block.ms=2000",
					"--kafka-stream.validate-on-startup=off")
			.with(arguments)
			.run(PassThroughApplication.class);
	}

	private static Pipeline awaitFailed(ConfigurableApplicationContext context) {
		Pipeline pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
		await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.FAILED);
		return pipeline;
	}

	private static void assertFailedAtOnce(ConfigurableApplicationContext context, Pipeline pipeline) {
		assertThat(pipeline.workers()).extracting(WorkerStatus::consecutiveFailures).containsExactly(1);
		assertThat(context.getBean(KafkaStreamHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.DOWN);
	}

	/**
	 * Asserts that the source's group committed no offset past the given one and that the
	 * output holds no committed record and no open transaction.
	 */
	private void assertNothingCommittedPast(String input, long offset, String out) throws Exception {
		Map<TopicPartition, Long> committed = TopicContent.committedOffsets(this.kafka.admin(), input);
		assertThat(committed.values()).allSatisfy((position) -> assertThat(position).isLessThanOrEqualTo(offset));
		if (out != null) {
			TopicContent written = TopicContent.readCommitted(this.kafka.bootstrapServers(), out);
			assertThat(written.openTransactions()).isEmpty();
			assertThat(written.records()).hasSizeLessThanOrEqualTo((int) offset);
		}
	}

	private void produceJson(String topic, String... values) {
		Map<String, Object> properties = TestRecords.producerProperties(this.kafka.bootstrapServers());
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
			for (String value : List.of(values)) {
				producer.send(new ProducerRecord<>(topic, "k", value));
			}
			producer.flush();
		}
	}

}
