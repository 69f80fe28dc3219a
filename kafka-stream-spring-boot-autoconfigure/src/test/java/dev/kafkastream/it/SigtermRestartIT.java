package dev.kafkastream.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.kafkastream.test.ChildJvm;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stops the application with SIGTERM while input is flowing, under at-least-once, and
 * restarts it: the final checkpoint committed exactly what was handled, so the restarted
 * application reads nothing twice (at-least-once would show duplicates) and loses
 * nothing.
 */
class SigtermRestartIT {

	private static final int FIRST_BATCH = 20_000;

	private static final int SECOND_BATCH = 5_000;

	private static final int KEYS = 500;

	private static final Pattern FINAL_CHECKPOINT_COMPLETED = Pattern.compile("Final checkpoint \\d+ COMPLETED");

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@TempDir
	Path logs;

	@Test
	void atLeastOnceAfterSigtermMidStreamAndRestartHandlesEveryRecordOnce() throws Exception {
		String bootstrap = this.kafka.bootstrapServers();
		String input = KafkaTestBroker.uniqueTopicName("sigterm-in");
		String output = KafkaTestBroker.uniqueTopicName("sigterm-out");
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		List<TestRecords.Input> inputs = new ArrayList<>(TestRecords.produce(bootstrap, input, 0, FIRST_BATCH, KEYS));

		long committedAtStop;
		try (ChildJvm first = start(input, output, "first", 4_000)) {
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
				assertThat(first.isAlive()).as("first run alive; log:%n%s", first.logTail(80)).isTrue();
				long committed = committedInput(input);
				return committed >= 2_000 && committed < FIRST_BATCH - 4_000;
			});
			assertThat(first.stop(Duration.ofSeconds(60))).as("exit code after SIGTERM")
				.isEqualTo(ChildJvm.SIGTERM_EXIT_CODE);
			assertThat(finalCheckpointCompleted(first)).as("log of the first run:%n%s", first.logTail(40)).isTrue();
			committedAtStop = committedInput(input);
		}
		assertThat(committedAtStop).as("stopped mid-stream").isLessThan(FIRST_BATCH);
		// no transactions under at-least-once: every record written is visible
		assertThat(TopicContent.readCommitted(bootstrap, output).records()).as("output when stopped")
			.hasSize((int) committedAtStop);

		inputs.addAll(TestRecords.produce(bootstrap, input, FIRST_BATCH, SECOND_BATCH, KEYS));
		try (ChildJvm second = start(input, output, "second", 0)) {
			await().atMost(Duration.ofSeconds(120))
				.untilAsserted(() -> assertThat(committedInput(input)).as("second run log:%n%s", second.logTail(80))
					.isEqualTo(FIRST_BATCH + SECOND_BATCH));
			assertThat(second.stop(Duration.ofSeconds(60))).isEqualTo(ChildJvm.SIGTERM_EXIT_CODE);
			assertThat(finalCheckpointCompleted(second)).as("log of the second run:%n%s", second.logTail(40))
				.isTrue();
		}
		ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(bootstrap, output, inputs)
			.awaitExactlyOnce(Duration.ofSeconds(60));
		assertThat(result.recordsRead()).isEqualTo(FIRST_BATCH + SECOND_BATCH);
		assertThat(TopicContent.committedOffsets(this.kafka.admin(), input)).isEqualTo(endOffsets(input));
	}

	private ChildJvm start(String input, String output, String name, int recordsPerSecond) {
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), input, output, "at-least-once", "sigterm")
			.with("--kafka-stream.checkpoint.interval=1s", "--kafka-stream.sources.in.concurrency=2",
					"--test.handler.records-per-second=" + recordsPerSecond)
			.startPassThroughInChildJvm(this.logs.resolve(input + "-" + name + ".log"));
	}

	private boolean finalCheckpointCompleted(ChildJvm app) throws Exception {
		return FINAL_CHECKPOINT_COMPLETED.matcher(Files.readString(app.logFile())).find();
	}

	private long committedInput(String input) throws Exception {
		return TopicContent.committedTotal(this.kafka.admin(), input);
	}

	private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
		Map<TopicPartition, OffsetSpec> latest = List.of(0, 1, 2)
			.stream()
			.collect(Collectors.toMap((partition) -> new TopicPartition(topic, partition),
					(partition) -> OffsetSpec.latest()));
		return this.kafka.admin()
			.listOffsets(latest)
			.all()
			.get()
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
	}

}
