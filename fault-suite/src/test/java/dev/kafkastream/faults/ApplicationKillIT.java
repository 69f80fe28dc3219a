package dev.kafkastream.faults;

import java.util.Random;

import dev.kafkastream.test.ExactlyOnceVerifier;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application killed with SIGKILL at random moments and started again each time,
 * some kills while a transaction is open (its output sent, not committed); and stopped
 * with SIGTERM and started again in a loop, where the final checkpoint commits what was
 * processed, so that nothing is processed twice even under at-least-once.
 */
class ApplicationKillIT {

	@RegisterExtension
	static final FaultCluster cluster = new FaultCluster();

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "exactly-once", "at-least-once" })
	void sigkillAtRandomMomentsAndRestart(String guarantee) {
		try (FaultScenario scenario = new FaultScenario(cluster, "sigkill", guarantee)) {
			Random random = new Random();
			FaultApp app = scenario.app("a").start();
			LoadDriver load = scenario.startLoad();
			int kills = scenario.volume().kills();
			for (int kill = 1; kill <= kills; kill++) {
				load.awaitSent((double) kill / (kills + 1));
				long committed = scenario.progress().committed();
				// a random moment: after a random share of what was sent since is committed
				scenario.progress()
					.awaitCommitted(committed + random.nextInt(Math.max(1, (int) (load.sent() - committed))));
				if (guarantee.equals("exactly-once") && kill % 2 == 1) {
					// between sending and committing
					scenario.awaitOpenTransaction();
				}
				scenario.killAndRestart(app);
			}
			scenario.check();
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "exactly-once", "at-least-once" })
	void sigtermStopStartLoopReprocessesNothing(String guarantee) {
		try (FaultScenario scenario = new FaultScenario(cluster, "sigterm-loop", guarantee)) {
			FaultApp app = scenario.app("a").start();
			LoadDriver load = scenario.startLoad();
			int stops = scenario.volume().kills();
			for (int stop = 1; stop <= stops; stop++) {
				load.awaitSent((double) stop / (stops + 1));
				scenario.progress().awaitCommitted(1);
				assertThat(app.terminate()).as("exit code of a SIGTERM stop; log:%n%s", app.logTail()).isIn(0, 143);
				scenario.injected("SIGTERM");
				long baseline = scenario.progress().committed();
				long restartedAt = System.nanoTime();
				app.start();
				scenario.awaitRecovery("SIGTERM", restartedAt, baseline, FaultScenario.APPLICATION_RECOVERY);
			}
			ExactlyOnceVerifier.Result result = scenario.check();
			assertThat(result.duplicateCount()).as("records processed again after a graceful stop: %s", result)
				.isZero();
		}
	}

}
