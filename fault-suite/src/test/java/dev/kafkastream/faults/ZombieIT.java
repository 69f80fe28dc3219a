package dev.kafkastream.faults;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A zombie: one of two instances frozen with SIGSTOP past {@code max.poll.interval.ms}
 * and the session timeout, so that the group evicts its workers and hands their
 * partitions to the other instance, which commits them on; then let run on with SIGCONT,
 * with the transactions and offsets it had in flight. Its late writes and commits must be
 * fenced: nothing it wrote becomes visible twice to {@code read_committed} readers, it
 * learns that it lost its partitions, and it rejoins the group, which commits on.
 */
class ZombieIT {

	private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

	private static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(10);

	@RegisterExtension
	static final FaultCluster cluster = new FaultCluster();

	@Test
	void frozenInstanceIsFencedAfterTheGroupMovesOn() {
		try (FaultScenario scenario = new FaultScenario(cluster, "zombie", "exactly-once").with(
				"--kafka-stream.sources.in.properties.session.timeout.ms=" + SESSION_TIMEOUT.toMillis(),
				"--kafka-stream.sources.in.properties.max.poll.interval.ms=" + MAX_POLL_INTERVAL.toMillis())) {
			scenario.app("a").start();
			FaultApp zombie = scenario.app("b").start();
			LoadDriver load = scenario.startLoad();
			scenario.assignment().awaitOwners(List.of("a", "b"), Duration.ofMinutes(2));
			load.awaitSent(0.3);
			scenario.progress().awaitCommitted(1);
			long frozenAt = System.nanoTime();
			zombie.freeze();
			scenario.injected("SIGSTOP");
			// its partitions are unread until its session times out, then must move at once
			scenario.awaitRebalanceRecovery("SIGSTOP", frozenAt, SESSION_TIMEOUT.plus(FaultScenario.APPLICATION_RECOVERY),
					List.of("a"));
			await("frozen past max.poll.interval.ms").atMost(MAX_POLL_INTERVAL.multipliedBy(2))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> Duration.ofNanos(System.nanoTime() - frozenAt).compareTo(MAX_POLL_INTERVAL.plusSeconds(2)) > 0);
			String logBeforeThaw = zombie.log();
			long thawedAt = System.nanoTime();
			zombie.thaw();
			// both workers learn that the group evicted them and throw away what they did since
			await("the zombie learning that it lost its partitions").atMost(Duration.ofMinutes(1))
				.pollInterval(Duration.ofMillis(200))
				.untilAsserted(() -> assertThat(zombie.log().substring(logBeforeThaw.length()))
					.as("log of the zombie after SIGCONT")
					.contains("kafka-stream-in-0 lost [", "kafka-stream-in-1 lost ["));
			// it rejoins and takes its share again; the group commits on every partition
			scenario.awaitRebalance(thawedAt, List.of("a", "b"));
			scenario.check();
		}
	}

}
