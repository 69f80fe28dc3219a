package dev.kafkastream.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import dev.kafkastream.test.ChildJvm;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kills the application with SIGKILL in the middle of a checkpoint interval, while a
 * transaction is open and offsets are uncommitted, restarts it, and checks the output.
 */
class CrashRecoveryIT {

	private static final int FIRST_BATCH = 20_000;

	private static final int SECOND_BATCH = 5_000;

	private static final int KEYS = 500;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@TempDir
	Path logs;

	@Test
	void exactlyOnceOutputAfterSigkillMidIntervalAndRestart() throws Exception {
		Run run = new Run("crash-eos", "exactly-once");
		List<TestRecords.Input> inputs = run.crashAndRestart();
		ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), run.output, inputs)
			.awaitExactlyOnce(Duration.ofMinutes(2));
		assertThat(result.recordsRead()).isEqualTo(FIRST_BATCH + SECOND_BATCH);
	}

	@Test
	void atLeastOnceLosesNothingAfterSigkillMidIntervalAndRestart() throws Exception {
		Run run = new Run("crash-alo", "at-least-once");
		List<TestRecords.Input> inputs = run.crashAndRestart();
		ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), run.output, inputs)
			.awaitAtLeastOnce(Duration.ofMinutes(2));
		assertThat(result.missingCount()).isZero();
		assertThat(result.recordsRead()).isGreaterThanOrEqualTo(FIRST_BATCH + SECOND_BATCH);
	}

	private final class Run {

		final String input;

		final String output;

		final String guarantee;

		Run(String name, String guarantee) {
			this.input = KafkaTestBroker.uniqueTopicName(name + "-in");
			this.output = KafkaTestBroker.uniqueTopicName(name + "-out");
			this.guarantee = guarantee;
			CrashRecoveryIT.this.kafka.createTopic(this.input, 3);
			CrashRecoveryIT.this.kafka.createTopic(this.output, 3);
		}

		List<TestRecords.Input> crashAndRestart() throws Exception {
			String bootstrap = CrashRecoveryIT.this.kafka.bootstrapServers();
			List<TestRecords.Input> inputs = new ArrayList<>(
					TestRecords.produce(bootstrap, this.input, 0, FIRST_BATCH, KEYS));
			try (ChildJvm first = start("first", 4_000)) {
				// Wait until a checkpoint committed part of the input and the next interval is
				// under way: output written in an open transaction, offsets not yet committed.
				await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
					assertThat(first.isAlive()).as("first run alive; log:%n%s", first.logTail(80)).isTrue();
					long committed = committedInput();
					return committed >= 2_000 && committed < FIRST_BATCH - 4_000
							&& (!exactlyOnce() || openTransactionOnOutput());
				});
				assertThat(first.kill()).isEqualTo(ChildJvm.SIGKILL_EXIT_CODE);
			}
			assertThat(committedInput()).as("offsets committed when killed").isLessThan(FIRST_BATCH);
			if (exactlyOnce()) {
				assertThat(openTransactionOnOutput()).as("the kill left a transaction open").isTrue();
			}
			inputs.addAll(TestRecords.produce(bootstrap, this.input, FIRST_BATCH, SECOND_BATCH, KEYS));
			try (ChildJvm second = start("second", 0)) {
				await().atMost(Duration.ofSeconds(120))
					.untilAsserted(() -> assertThat(committedInput()).as("second run log:%n%s", second.logTail(80))
						.isEqualTo(FIRST_BATCH + SECOND_BATCH));
				second.stop(Duration.ofSeconds(30));
			}
			return inputs;
		}

		private boolean exactlyOnce() {
			return this.guarantee.equals("exactly-once");
		}

		private ChildJvm start(String name, int recordsPerSecond) {
			return PipelineArguments
				.inToOut(CrashRecoveryIT.this.kafka.bootstrapServers(), this.input, this.output, this.guarantee,
						"crash-test")
				.with("--spring.main.web-application-type=none", "--kafka-stream.checkpoint.interval=1s",
						"--kafka-stream.sources.in.concurrency=2",
						// the killed members must time out before their partitions move
						"--kafka-stream.sources.in.properties.session.timeout.ms=6000",
						"--test.handler.records-per-second=" + recordsPerSecond)
				.startPassThroughInChildJvm(CrashRecoveryIT.this.logs.resolve(this.input + "-" + name + ".log"));
		}

		private long committedInput() throws Exception {
			return TopicContent.committedTotal(admin(), this.input);
		}

		private boolean openTransactionOnOutput() throws ExecutionException, InterruptedException {
			Map<TopicPartition, OffsetSpec> latest = List.of(0, 1, 2)
				.stream()
				.collect(Collectors.toMap((p) -> new TopicPartition(this.output, p), (p) -> OffsetSpec.latest()));
			Map<TopicPartition, Long> committed = endOffsets(latest, IsolationLevel.READ_COMMITTED);
			Map<TopicPartition, Long> written = endOffsets(latest, IsolationLevel.READ_UNCOMMITTED);
			return !committed.equals(written);
		}

		private Map<TopicPartition, Long> endOffsets(Map<TopicPartition, OffsetSpec> specs, IsolationLevel level)
				throws ExecutionException, InterruptedException {
			return admin().listOffsets(specs, new ListOffsetsOptions(level))
				.all()
				.get()
				.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
		}

		private Admin admin() {
			return CrashRecoveryIT.this.kafka.admin();
		}

	}

}
