package dev.kafkastream.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.kafkastream.test.ChildJvm;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An exactly-once application killed while both its workers have a transaction open, then
 * started again with one worker: the second worker's transactional id is never initialised
 * again, and its open transaction would block every {@code read_committed} reader of the
 * output until its 10 minute timeout.
 */
class ScaleDownIT {

	private static final Logger logger = LoggerFactory.getLogger(ScaleDownIT.class);

	private static final int RECORDS = 20_000;

	private static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@TempDir
	Path logs;

	@Test
	void readerBlockedByTheTransactionOfAWorkerRemovedByAScaleDownIsUnblockedWithinSeconds() throws Exception {
		String bootstrap = this.kafka.bootstrapServers();
		String input = KafkaTestBroker.uniqueTopicName("scale-down-in");
		String output = KafkaTestBroker.uniqueTopicName("scale-down-out");
		this.kafka.createTopic(input, 2);
		this.kafka.createTopic(output, 2);
		List<TestRecords.Input> inputs = TestRecords.produce(bootstrap, input, RECORDS, 100);
		try (ChildJvm first = start(input, output, 2, 2_000, "first")) {
			// the second worker between two checkpoints: its output is in an open transaction
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
				assertThat(first.isAlive()).as("first run alive; log:%n%s", first.logTail(80)).isTrue();
				return TopicContent.committedTotal(this.kafka.admin(), input) >= 2_000
						&& ongoing(output + "-scale-down-in-1");
			});
			assertThat(first.kill()).isEqualTo(ChildJvm.SIGKILL_EXIT_CODE);
		}
		assertThat(TopicContent.readCommitted(bootstrap, output).openTransactions()).as("left open by the kill")
			.isNotEmpty();
		long restarted = System.nanoTime();
		try (ChildJvm second = start(input, output, 1, 0, "second")) {
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(bootstrap, output, inputs)
				.awaitExactlyOnce(Duration.ofSeconds(90));
			Duration blocked = Duration.ofNanos(System.nanoTime() - restarted);
			logger.info("Every input committed {} ms after the restart", blocked.toMillis());
			assertThat(result.openTransactions()).isEmpty();
			assertThat(blocked).as("time from the restart to every input committed; log:%n%s", second.logTail(40))
				.isLessThan(TRANSACTION_TIMEOUT.dividedBy(10));
			assertThat(second.logTail(400)).contains("Aborted the transaction of '" + output + "-scale-down-in-1'");
			second.stop(Duration.ofSeconds(30));
		}
	}

	private boolean ongoing(String transactionalId) throws Exception {
		return this.kafka.admin()
			.listTransactions()
			.all()
			.get()
			.stream()
			.anyMatch((listing) -> listing.transactionalId().equals(transactionalId)
					&& listing.state() == TransactionState.ONGOING);
	}

	private ChildJvm start(String input, String output, int concurrency, int recordsPerSecond, String name) {
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", "scale-down")
			.with("--kafka-stream.sources.in.concurrency=" + concurrency,
					"--kafka-stream.sinks.out.transaction-timeout=" + TRANSACTION_TIMEOUT.toMinutes() + "m",
					// a checkpoint cycle of 2.5 s: a transaction open longer is abandoned
					"--kafka-stream.checkpoint.timeout=2s",
					// the removed worker's partition moves to the remaining one soon
					"--kafka-stream.sources.in.properties.session.timeout.ms=6000",
					"--test.handler.records-per-second=" + recordsPerSecond)
			.startPassThroughInChildJvm(this.logs.resolve(input + "-" + name + ".log"));
	}

}
