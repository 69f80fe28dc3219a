package dev.kafkastream.faults;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;

/**
 * The network between the application and the broker cut (every byte held, as a
 * partition holds them, for 20 s in the full run) and healed; and its connections reset
 * in the middle of checkpoint commits: committed by the broker, not yet answered. The
 * application reaches the broker only through the cluster's
 * {@link dev.kafkastream.test.TcpProxy}.
 */
class NetworkFaultIT {

	@RegisterExtension
	static final FaultCluster cluster = new FaultCluster();

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "exactly-once", "at-least-once" })
	void networkBlackholedThenRestored(String guarantee) {
		try (FaultScenario scenario = new FaultScenario(cluster, "network-blackhole", guarantee)) {
			scenario.app("a").start();
			LoadDriver load = scenario.startLoad();
			Volume volume = scenario.volume();
			for (int cut = 1; cut <= volume.blackholes(); cut++) {
				load.awaitSent((double) cut / (volume.blackholes() + 1));
				scenario.progress().awaitCommitted(scenario.progress().committed() + 1);
				cluster.proxy().blackhole();
				scenario.injected("network blackhole of " + volume.blackhole().toSeconds() + " s");
				// the cut lasts as long as no checkpoint commits: at least the blackhole's duration
				AtomicLong last = new AtomicLong(-1);
				await("no checkpoint commits while the network is cut").during(volume.blackhole())
					.atMost(volume.blackhole().plusSeconds(30))
					.pollInterval(Duration.ofMillis(200))
					.until(() -> last.getAndSet(scenario.progress().committed()) == last.get());
				long baseline = scenario.progress().committed();
				cluster.proxy().restore();
				long healedAt = System.nanoTime();
				scenario.awaitRecovery("network heal", healedAt, baseline, FaultScenario.BROKER_RECOVERY);
			}
			scenario.check();
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "exactly-once", "at-least-once" })
	void connectionsResetMidCommit(String guarantee) {
		try (FaultScenario scenario = new FaultScenario(cluster, "connection-reset", guarantee)) {
			scenario.app("a").start();
			LoadDriver load = scenario.startLoad();
			// every answer takes 150 ms longer: when the broker has committed a checkpoint, its
			// answer is still on the way, and the reset leaves the commit's outcome unknown
			cluster.proxy().delay(Duration.ofMillis(150));
			int resets = scenario.volume().resets();
			for (int reset = 1; reset <= resets; reset++) {
				load.awaitSent((double) reset / (resets + 1));
				long committed = scenario.progress().committed();
				scenario.progress().awaitCommitted(committed + 1);
				long baseline = scenario.progress().committed();
				cluster.proxy().resetConnections();
				long resetAt = System.nanoTime();
				scenario.injected("connection reset");
				scenario.awaitRecovery("connection reset", resetAt, baseline, FaultScenario.BROKER_RECOVERY);
			}
			cluster.proxy().delay(Duration.ZERO);
			scenario.check();
		}
	}

}
