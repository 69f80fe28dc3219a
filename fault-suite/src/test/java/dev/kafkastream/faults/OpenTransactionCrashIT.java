package dev.kafkastream.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.jayway.jsonpath.JsonPath;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crash with a transaction open on the output, and a restart under a different
 * instance id: the crashed instance's transactional ids are never initialised again, so
 * only the new instance can abort the transaction before the broker's
 * {@code transaction-timeout} (two minutes here) does. The new instance lists the
 * lingering transaction in its {@code kafkastream} Actuator endpoint, aborts it once it has
 * been open for a checkpoint cycle, which unblocks {@code read_committed} readers, and then
 * no longer lists it; it takes over the partitions of the crashed one once its static
 * members' sessions expire.
 */
class OpenTransactionCrashIT {

	private static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(2);

	/** Checkpoint interval, minimum pause and timeout: the successor aborts what is open longer. */
	private static final Duration CHECKPOINT_CYCLE = Duration.ofMillis(20_500);

	private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

	@RegisterExtension
	static final FaultCluster cluster = new FaultCluster();

	@Test
	void abandonedTransactionIsShownThenAbortedByAnotherInstance() {
		try (FaultScenario scenario = new FaultScenario(cluster, "open-transaction-crash", "exactly-once")) {
			// the successor aborts what is open for longer than a checkpoint cycle, 0.5 s + 20 s,
			// and lists it until then; the crashed instance's static members leave the group 6 s
			// after the crash
			scenario.with("--kafka-stream.checkpoint.timeout=20s",
					"--kafka-stream.sinks.out.transaction-timeout=" + TRANSACTION_TIMEOUT.toSeconds() + "s",
					"--kafka-stream.sources.in.properties.session.timeout.ms=6000");
			FaultApp crashed = scenario.app("a").start();
			LoadDriver load = scenario.startLoad();
			load.awaitSent(0.4);
			scenario.progress().awaitCommitted(1);
			Map<TopicPartition, Long> writtenByCrashed = killInsideAnOpenTransaction(scenario, crashed);
			long killedAt = System.nanoTime();
			long baseline = scenario.progress().committed();
			scenario.injected("SIGKILL with an open transaction");
			FaultApp successor = scenario.app("b", true).start();
			await("b's kafkastream endpoint lists the crashed instance's open transaction")
				.atMost(CHECKPOINT_CYCLE)
				.pollInterval(Duration.ofMillis(200))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(lingering(successor)).anyMatch((id) -> id.matches(".*-a-in-\\d")));
			// committed output grows again once the crashed instance's members left the group:
			// the lingering transaction blocks readers, not writers
			scenario.awaitRecovery("SIGKILL, restart as another instance", killedAt, baseline,
					SESSION_TIMEOUT.plus(FaultScenario.APPLICATION_RECOVERY));
			AtomicLong unblockedAt = new AtomicLong();
			await("read_committed end offsets of " + scenario.output() + " pass the crashed instance's output")
				.atMost(TRANSACTION_TIMEOUT.plusMinutes(1))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> {
					unblockedAt.set(System.nanoTime());
					return passes(EndOffsets.of(cluster, scenario.output(), IsolationLevel.READ_COMMITTED),
							writtenByCrashed);
				});
			Duration unblocked = Duration.ofNanos(unblockedAt.get() - killedAt);
			assertThat(unblocked).as("read_committed readers blocked by the crashed instance's transaction")
				.isLessThan(CHECKPOINT_CYCLE.plusSeconds(15))
				.isLessThan(TRANSACTION_TIMEOUT.dividedBy(2));
			await("b's kafkastream endpoint no longer lists it once aborted").atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(200))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(lingering(successor)).isEmpty());
			assertThat(successor.log(1)).containsPattern("Aborted the transaction of '[^']*-a-in-\\d'");
			await("b's kafkastream endpoint shows it reading every partition").atMost(Duration.ofMinutes(1))
				.pollInterval(Duration.ofMillis(200))
				.ignoreExceptions()
				.untilAsserted(() -> {
					String body = successor.actuator("/actuator/kafkastream");
					assertThat((String) JsonPath.read(body, "$.sources.in.state")).isEqualTo("RUNNING");
					assertThat((Map<?, ?>) JsonPath.read(body, "$.sources.in.partitions"))
						.hasSize(FaultScenario.PARTITIONS);
				});
			scenario.check(List.of(String.format("restarted as another instance, which listed the open transaction"
					+ " in Actuator until it aborted it; read_committed unblocked %.1f s after the kill (abort after"
					+ " %d s open, transaction timeout %d s)", unblocked.toMillis() / 1000.0,
					CHECKPOINT_CYCLE.toSeconds(), TRANSACTION_TIMEOUT.toSeconds())));
		}
	}

	private static List<String> lingering(FaultApp app) {
		return JsonPath.read(app.actuator("/actuator/kafkastream"), "$.lingeringTransactions[*].transactionalId");
	}

	/**
	 * Kills the instance while a transaction of it is open on the output, trying again
	 * after a restart in the rare case that it was killed between two transactions.
	 * @return the raw end offsets of the output once it is dead: its last transaction
	 * ends below them
	 */
	private static Map<TopicPartition, Long> killInsideAnOpenTransaction(FaultScenario scenario, FaultApp app) {
		for (int attempt = 1;; attempt++) {
			scenario.awaitOpenTransaction();
			app.kill();
			if (EndOffsets.openTransaction(cluster, scenario.output())) {
				return EndOffsets.of(cluster, scenario.output(), IsolationLevel.READ_UNCOMMITTED);
			}
			assertThat(attempt).as("attempts to kill %s inside an open transaction", app).isLessThan(3);
			long baseline = scenario.progress().committed();
			app.start();
			scenario.progress().awaitCommitted(baseline + 1);
		}
	}

	private static boolean passes(Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> minimum) {
		return minimum.entrySet().stream().allMatch((entry) -> offsets.get(entry.getKey()) >= entry.getValue());
	}

}
