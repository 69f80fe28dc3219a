package dev.kafkastream.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.kafkastream.test.TestRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A checkpoint stalled past the transaction timeout: the handler blocks on one record for
 * twice the sink's {@code transaction-timeout}, the broker aborts the worker's open
 * transaction, the worker's next send or commit is fenced, and it rolls back to its last
 * checkpoint and processes the interval again, so that the output still holds every input
 * exactly once.
 */
class StalledCheckpointIT {

	private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration STALL = TRANSACTION_TIMEOUT.multipliedBy(2);

	@RegisterExtension
	static final FaultCluster cluster = new FaultCluster();

	@Test
	void handlerBlockedPastTheTransactionTimeout() throws IOException {
		try (FaultScenario scenario = new FaultScenario(cluster, "stalled-checkpoint", "exactly-once")) {
			long stallAtId = scenario.volume().records() / 3;
			Path marker = scenario.logs().resolve("stalled");
			// left by an earlier run in the same target directory, it would keep the handler from stalling
			Files.deleteIfExists(marker);
			// the transaction timeout must exceed checkpoint interval + timeout by a third
			scenario.with("--kafka-stream.checkpoint.timeout=2s",
					"--kafka-stream.sinks.out.transaction-timeout=" + TRANSACTION_TIMEOUT.toSeconds() + "s",
					"--fault.stall-at-id=" + stallAtId, "--fault.stall=" + STALL.toSeconds() + "s",
					"--fault.stall-marker=" + marker);
			FaultApp app = scenario.app("a").start();
			scenario.startLoad();
			await("the handler stalls on record " + stallAtId).atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> Files.exists(marker));
			scenario.injected("stalled checkpoint");
			// the worker that handles the record commits none of its partitions while it stalls
			TopicPartition stalled = partitionOf(scenario.input(), TestRecords.key(stallAtId, LoadDriver.KEYS));
			// the markers of the checkpoint committed just before the stall reach the group's
			// offsets a moment after the commit returned: read once the offset holds still
			AtomicLong last = new AtomicLong(-1);
			await("the committed offset of " + stalled + " holds still").during(Duration.ofSeconds(1))
				.atMost(STALL)
				.pollInterval(Duration.ofMillis(100))
				.ignoreExceptions()
				.until(() -> last.getAndSet(committedOffset(scenario, stalled)) == last.get());
			long baseline = last.get();
			long stallEnd = Files.getLastModifiedTime(marker).toMillis() + STALL.toMillis();
			AtomicLong grownAt = new AtomicLong();
			await("committed offsets of " + stalled + " grow after the stall").atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofMillis(50))
				.ignoreExceptions()
				.until(() -> {
					grownAt.set(System.currentTimeMillis());
					return committedOffset(scenario, stalled) > baseline;
				});
			assertThat(grownAt.get()).as("%s committed while its worker stalled", stalled).isGreaterThan(stallEnd);
			scenario.recovered("stalled checkpoint", Duration.ofMillis(grownAt.get() - stallEnd),
					FaultScenario.APPLICATION_RECOVERY);
			assertThat(app.log(1)).as("the stalled worker rolled back after the broker aborted its transaction")
				.contains("rolling back to the last checkpoint");
			scenario.check(List.of("handler blocked " + STALL.toSeconds() + " s, transaction timeout "
					+ TRANSACTION_TIMEOUT.toSeconds() + " s"));
		}
	}

	private static long committedOffset(FaultScenario scenario, TopicPartition partition) {
		return scenario.progress().committedOffsets().getOrDefault(partition, 0L);
	}

	/**
	 * The partition Kafka's default partitioner gives a key.
	 */
	private static TopicPartition partitionOf(String topic, String key) {
		int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % FaultScenario.PARTITIONS;
		return new TopicPartition(topic, partition);
	}

}
