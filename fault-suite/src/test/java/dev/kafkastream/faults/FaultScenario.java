package dev.kafkastream.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One run of a scenario: its topics and group, the application instances it starts, the
 * load it drives, the faults it injects and the recovery after each; and at the end the
 * universal check and a row of the report.
 * <p>
 * The universal check: the group's committed offsets reach the input's end offsets; the
 * instances stop; a {@code read_committed} drain of the output holds every input exactly
 * once in per-key order (at-least-once: none missing, duplicates counted), and on every
 * output partition the {@code read_committed} end offset equals the raw end offset (no
 * transaction left open).
 */
final class FaultScenario implements AutoCloseable {

	static final int PARTITIONS = 6;

	/** Recovery target after an application restart. */
	static final Duration APPLICATION_RECOVERY = Duration.ofSeconds(5);

	/** Recovery target after a broker restart or a network heal. */
	static final Duration BROKER_RECOVERY = Duration.ofSeconds(10);

	/**
	 * Recovery target after an instance joins or leaves the group: a rebalance, which
	 * under {@code group.protocol=consumer} waits for the brokers' heartbeat interval (5 s
	 * by default).
	 */
	static final Duration REBALANCE_RECOVERY = Duration.ofSeconds(10);

	private static final AtomicInteger RUNS = new AtomicInteger();

	private final FaultCluster cluster;

	private final String name;

	private final boolean exactlyOnce;

	private final Volume volume;

	private final String input;

	private final String output;

	private final String group;

	private final Path logs;

	private final List<String> arguments = new ArrayList<>();

	private final List<FaultApp> apps = new ArrayList<>();

	private final Map<String, Integer> faults = new LinkedHashMap<>();

	private final List<Recovery> recoveries = new ArrayList<>();

	private final CommitProgress progress;

	private LoadDriver load;

	FaultScenario(FaultCluster cluster, String name, String guarantee) {
		this.cluster = cluster;
		this.name = name;
		this.exactlyOnce = guarantee.equals("exactly-once");
		this.volume = Volume.current();
		String prefix = name + "-" + RUNS.incrementAndGet();
		this.input = prefix + "-in";
		this.output = prefix + "-out";
		this.group = prefix;
		this.logs = FaultReport.directory().resolve("logs").resolve(prefix + "-" + guarantee);
		try {
			Files.createDirectories(this.logs);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		cluster.createTopics(PARTITIONS, this.input, this.output);
		this.progress = new CommitProgress(cluster.admin(), this.group);
		this.arguments.addAll(List.of("--kafka-stream.bootstrap-servers=" + cluster.applicationBootstrapServers(),
				"--kafka-stream.sources.in.topics=" + this.input, "--kafka-stream.sources.in.group-id=" + this.group,
				"--kafka-stream.sinks.out.topic=" + this.output,
				"--kafka-stream.sinks.out.delivery-guarantee=" + guarantee,
				"--kafka-stream.sinks.out.transactional-id-prefix=" + prefix));
	}

	/**
	 * Adds arguments every instance started from now on runs with.
	 * @param arguments the arguments
	 * @return this
	 */
	FaultScenario with(String... arguments) {
		this.arguments.addAll(List.of(arguments));
		return this;
	}

	Volume volume() {
		return this.volume;
	}

	String input() {
		return this.input;
	}

	String output() {
		return this.output;
	}

	Path logs() {
		return this.logs;
	}

	FaultCluster cluster() {
		return this.cluster;
	}

	CommitProgress progress() {
		return this.progress;
	}

	/**
	 * Creates an instance, not started yet.
	 * @param instanceId its instance id
	 * @param web whether it serves Actuator over HTTP
	 * @return the instance
	 */
	FaultApp app(String instanceId, boolean web) {
		FaultApp app = new FaultApp(instanceId, this.arguments, this.logs, web);
		this.apps.add(app);
		return app;
	}

	FaultApp app(String instanceId) {
		return app(instanceId, false);
	}

	/**
	 * Starts producing the input.
	 * @return the driver
	 */
	LoadDriver startLoad() {
		return startLoad((id) -> null);
	}

	LoadDriver startLoad(LongFunction<byte[]> poison) {
		this.load = new LoadDriver(this.cluster.bootstrapServers(), this.input, this.volume, poison).start();
		return this.load;
	}

	LoadDriver load() {
		return this.load;
	}

	/**
	 * Counts a fault for the report.
	 * @param kind what was done, e.g. {@code SIGKILL}
	 */
	void injected(String kind) {
		this.faults.merge(kind, 1, Integer::sum);
	}

	/**
	 * Waits for the committed offsets to grow after a heal and records the time it took.
	 * @param kind the fault healed
	 * @param healedAt the {@link System#nanoTime()} of the heal
	 * @param baseline the committed sum when the fault began to stop progress
	 * @param target the recovery target for this kind of fault
	 * @return the recovery time
	 */
	Duration awaitRecovery(String kind, long healedAt, long baseline, Duration target) {
		Duration recovery = this.progress.awaitGrowth(healedAt, baseline, Duration.ofMinutes(2));
		this.recoveries.add(new Recovery(kind, recovery, target));
		return recovery;
	}

	/**
	 * Waits until a transaction is open on the output: output sent, not committed yet.
	 */
	void awaitOpenTransaction() {
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> EndOffsets.openTransaction(this.cluster, this.output));
	}

	/**
	 * Kills an instance with SIGKILL, starts it again at once, and records the time until
	 * committed output grows again.
	 * @param app the instance
	 * @return the recovery time
	 */
	Duration killAndRestart(FaultApp app) {
		app.kill();
		injected("SIGKILL");
		long baseline = this.progress.committed();
		long restartedAt = System.nanoTime();
		app.start();
		return awaitRecovery("SIGKILL", restartedAt, baseline, APPLICATION_RECOVERY);
	}

	/**
	 * Records a recovery the scenario measured itself, for a fault whose end is not a
	 * moment of the harness (a stall that ends on its own).
	 * @param kind the fault
	 * @param time from the fault's end to committed output growing again
	 * @param target the recovery target for this kind of fault
	 */
	void recovered(String kind, Duration time, Duration target) {
		this.recoveries.add(new Recovery(kind, time, target));
	}

	/**
	 * Who owns the input partitions in the scenario's group.
	 * @return the group's assignment
	 */
	GroupAssignment assignment() {
		return new GroupAssignment(this.cluster.admin(), this.group, this.input);
	}

	/**
	 * Waits for a rebalance as {@link #awaitRebalance(long, Collection)} does and records
	 * the time from the fault to the growth as the fault's recovery.
	 * @param kind the fault, e.g. {@code scale to 2}
	 * @param at the {@link System#nanoTime()} of the fault
	 * @param target the recovery target for this kind of fault
	 * @param owners the instance ids whose workers own the partitions after the rebalance
	 * @return the recovery time
	 */
	Duration awaitRebalanceRecovery(String kind, long at, Duration target, Collection<String> owners) {
		Duration recovery = awaitRebalance(at, owners);
		this.recoveries.add(new Recovery(kind, recovery, target));
		return recovery;
	}

	/**
	 * Waits for a rebalance to hand every input partition to the workers of the given
	 * instances, then for the committed offset of every partition to grow past where it
	 * was at that moment.
	 * @param since the {@link System#nanoTime()} to measure from
	 * @param owners the instance ids whose workers own the partitions after the rebalance
	 * @return the time from {@code since} to that growth
	 */
	Duration awaitRebalance(long since, Collection<String> owners) {
		assignment().awaitOwners(owners, Duration.ofMinutes(2));
		Map<TopicPartition, Long> baseline = new LinkedHashMap<>();
		Map<TopicPartition, Long> committed = this.progress.committedOffsets();
		for (int partition = 0; partition < PARTITIONS; partition++) {
			TopicPartition topicPartition = new TopicPartition(this.input, partition);
			baseline.put(topicPartition, committed.getOrDefault(topicPartition, -1L));
		}
		return this.progress.awaitGrowthOnEvery(since, baseline, Duration.ofMinutes(2));
	}

	/**
	 * Runs the universal check, adds the scenario's row to the report and asserts the
	 * targets.
	 * @return the verifier's result
	 */
	ExactlyOnceVerifier.Result check() {
		return check(List.of());
	}

	/**
	 * Runs the universal check on a run whose poison records were expected to be kept out
	 * of the output.
	 * @param notes what the report should say besides the figures, e.g. dead letters
	 * @return the verifier's result
	 */
	ExactlyOnceVerifier.Result check(List<String> notes) {
		List<TestRecords.Input> inputs = this.load.finish();
		Map<TopicPartition, Long> ends = inputEndOffsets();
		await("the group's committed offsets reach the input's end offsets")
			.atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(this.progress.committedOffsets()).as("committed offsets; logs: %s",
					this.logs).isEqualTo(ends));
		for (FaultApp app : this.apps) {
			if (app.isAlive()) {
				app.terminate();
			}
		}
		ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(this.cluster.bootstrapServers(), this.output, inputs)
			.readTimeout(Duration.ofMinutes(1))
			.verify();
		report(inputs.size(), result, notes);
		assertThat(result.openTransactions()).as("output partitions whose read_committed end is below the raw end")
			.isEmpty();
		assertThat(result.missingCount()).as("records missing: %s", result).isZero();
		assertThat(result.unexpectedCount()).as("records that are not inputs: %s", result).isZero();
		if (this.exactlyOnce) {
			assertThat(result.duplicateCount()).as("records written more than once: %s", result).isZero();
			assertThat(result.orderViolationCount()).as("per-key order: %s", result).isZero();
		}
		if (this.volume == Volume.FULL) {
			assertThat(this.recoveries).as("recoveries slower than their target")
				.filteredOn((recovery) -> !recovery.met())
				.isEmpty();
		}
		return result;
	}

	private void report(int records, ExactlyOnceVerifier.Result result, List<String> notes) {
		String faults = this.faults.entrySet()
			.stream()
			.map((fault) -> fault.getValue() + "× " + fault.getKey())
			.collect(Collectors.joining(", "));
		String recoveries = this.recoveries.isEmpty() ? "–"
				: this.recoveries.stream()
					.map((recovery) -> String.format("%.1f", recovery.time().toMillis() / 1000.0))
					.collect(Collectors.joining(", "));
		String targets = this.recoveries.stream()
			.map((recovery) -> "≤ " + recovery.target().toSeconds() + " s")
			.distinct()
			.collect(Collectors.joining(", "));
		boolean correct = result.missingCount() == 0 && result.openTransactions().isEmpty()
				&& (!this.exactlyOnce || (result.duplicateCount() == 0 && result.orderViolationCount() == 0));
		boolean fast = this.recoveries.stream().allMatch(Recovery::met);
		String guarantee = this.exactlyOnce ? "exactly-once" : "at-least-once";
		String scenario = this.name + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
		FaultReport.add(this.name + "-" + guarantee, FaultReport.row(List.of(scenario, guarantee,
				String.format("%,d", records), faults.isEmpty() ? "–" : faults, result.duplicateCount(),
				result.missingCount(), result.openTransactions().size(), recoveries,
				(targets.isEmpty() ? "0 dup., 0 missing" : targets),
				(correct ? "yes" : "NO") + (fast ? "" : " (recovery slower than target)"))));
	}

	private Map<TopicPartition, Long> inputEndOffsets() {
		// the group commits no offset for a partition it never read from
		return EndOffsets.of(this.cluster, this.input, IsolationLevel.READ_UNCOMMITTED)
			.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() > 0)
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	/**
	 * Stops the load and the instances, and leaves the cluster whole for the next scenario
	 * of the class: the network healed, the broker running.
	 */
	@Override
	public void close() {
		if (this.load != null) {
			this.load.close();
		}
		this.apps.forEach(FaultApp::close);
		this.cluster.proxy().restore();
		if (!this.cluster.broker().isRunning()) {
			this.cluster.broker().start();
		}
	}

	/**
	 * The recovery after one fault.
	 * @param kind the fault
	 * @param time from the heal to committed output growing again
	 * @param target the target
	 */
	record Recovery(String kind, Duration time, Duration target) {

		boolean met() {
			return this.time.compareTo(this.target) <= 0;
		}

	}

}
