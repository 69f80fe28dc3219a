package dev.kafkastream.faults;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broker killed with SIGKILL and started again while the pipeline runs: the
 * application keeps running, its clients reconnect, and the transactions open at the
 * kill are settled (the restarted broker's coordinator aborts them, or the workers do when
 * their commit fails). The recovery is timed from the broker answering again.
 */
class BrokerBounceIT {

	@RegisterExtension
	static final FaultCluster cluster = new FaultCluster();

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "exactly-once", "at-least-once" })
	void brokerKilledAndRestartedWhileThePipelineRuns(String guarantee) {
		try (FaultScenario scenario = new FaultScenario(cluster, "broker-bounce", guarantee)) {
			scenario.app("a").start();
			LoadDriver load = scenario.startLoad();
			int bounces = scenario.volume().brokerBounces();
			for (int bounce = 1; bounce <= bounces; bounce++) {
				load.awaitSent((double) bounce / (bounces + 1));
				scenario.progress().awaitCommitted(scenario.progress().committed() + 1);
				cluster.broker().kill();
				scenario.injected("broker SIGKILL + restart");
				cluster.broker().start();
				long upAt = System.nanoTime();
				// read at once: what was committed before the kill, or a little more if the
				// application was quicker, which can only make the recovery look longer
				long baseline = scenario.progress().committedOnceAnswering();
				scenario.awaitRecovery("broker restart", upAt, baseline, FaultScenario.BROKER_RECOVERY);
			}
			scenario.check();
		}
	}

}
