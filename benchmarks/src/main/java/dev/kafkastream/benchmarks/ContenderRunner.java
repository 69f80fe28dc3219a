package dev.kafkastream.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.kafkastream.test.ChildJvm;
import dev.kafkastream.test.KafkaTestBroker;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs each contender in fresh JVMs: throughput runs over the preloaded input and, if selected, a latency run at
 * the fixed offered load, and verifies the output of each.
 */
final class ContenderRunner {

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

	private final BenchmarkSettings settings;

	private final KafkaTestBroker broker;

	private final String bootstrapServers;

	private final String input;

	private final Path workDir;

	private final long brokerPid;

	private final StarterApplication starterApplication = StarterApplication.fromSystemProperties();

	ContenderRunner(BenchmarkSettings settings, KafkaTestBroker broker, long brokerPid, String input, Path workDir) {
		this.broker = broker;
		this.brokerPid = brokerPid;
		this.settings = settings;
		this.bootstrapServers = broker.bootstrapServers();
		this.input = input;
		this.workDir = workDir;
	}

	/**
	 * Runs the throughput runs of every contender, round by round: each round runs every
	 * contender once, so that the broker warming up, or the machine drifting, weighs on
	 * them all alike instead of on the contenders that come first.
	 * @param contenders the contenders
	 * @param afterEachRound what else runs once per round, after the contenders
	 * @return the measurement of each, in order
	 * @throws Exception if a run could not be made
	 */
	List<Measurement> run(List<Contender> contenders, RoundTask afterEachRound) throws Exception {
		Map<Contender, List<Throughput>> runs = new LinkedHashMap<>();
		Map<Contender, List<String>> problems = new LinkedHashMap<>();
		contenders.forEach((contender) -> {
			runs.put(contender, new ArrayList<>());
			problems.put(contender, new ArrayList<>());
		});
		for (int i = 1; i <= this.settings.repeat(); i++) {
			for (Contender contender : contenders) {
				Benchmarks.log("Running %s (%s, %s, %s), throughput run %d of %d", contender.name(),
						contender.description(), contender.guarantee(), contender.intervalText(), i,
						this.settings.repeat());
				runs.get(contender)
					.add(throughputRun(contender, (this.settings.repeat() > 1) ? "tp" + i : "tp",
							problems.get(contender)));
			}
			afterEachRound.run(i);
		}
		List<Measurement> measurements = new ArrayList<>();
		for (Contender contender : contenders) {
			measurements.add(measure(contender, runs.get(contender), problems.get(contender)));
		}
		return measurements;
	}

	private Measurement measure(Contender contender, List<Throughput> runs, List<String> problems) throws Exception {
		// the run with the median records/s stands for the contender
		runs.sort(Comparator.comparingLong(Throughput::launchToLastMillis));
		Throughput throughput = runs.get(runs.size() / 2);
		if (runs.size() > 1) {
			Benchmarks.log("  %s throughput runs: %s records/s", contender.name(), runs.stream()
				.map((run) -> String.format(Locale.ROOT, "%,.0f", run.recordsPerSecond(this.settings.records())))
				.toList());
		}
		long[] latencies = this.settings.selectsLatency(contender.name()) ? latencyRun(contender, problems)
				: new long[0];
		double records = this.settings.records();
		double millions = records / 1e6;
		return new Measurement(contender, throughput.recordsPerSecond(records),
				records * 1000.0 / Math.max(1, throughput.appendSpanMillis), throughput.startupMillis,
				percentile(latencies, 0.50), percentile(latencies, 0.99),
				(latencies.length > 0) ? latencies[latencies.length - 1] : -1, throughput.stats.peakRssKb() / 1024.0,
				throughput.stats.cpuMillis() / 1000.0 / millions,
				(throughput.stats.cpuMillis() - throughput.cpuMillisAtFirstOutput) / 1000.0 / millions,
				throughput.brokerCpuMillis / 1000.0 / millions, throughput.steadyBrokerCpuMillis / 1000.0 / millions,
				problems.isEmpty() ? null : String.join("; ", problems));
	}

	private Throughput throughputRun(Contender contender, String run, List<String> problems) throws Exception {
		String output = run + "-out-" + contender.name();
		this.broker.createTopic(output, this.settings.partitions(), Map.of("message.timestamp.type", "LogAppendTime"));
		int expected = this.settings.records();
		try (OutputWatcher watcher = new OutputWatcher(this.bootstrapServers, output, this.settings.partitions(),
				expected, this.settings.keys(), Long.MAX_VALUE, Long.MAX_VALUE).start()) {
			long brokerCpuBefore = ProcessStats.read(this.brokerPid).cpuMillis();
			long launched = System.currentTimeMillis();
			CpuTimeline brokerCpuTimeline = new CpuTimeline(this.brokerPid, () -> true);
			ChildJvm jvm = launch(contender, run, this.input, output);
			try {
				CpuTimeline cpu = new CpuTimeline(jvm);
				Duration timeout = Duration.ofSeconds(120 + expected / 5_000);
				boolean complete = watcher.awaitComplete(timeout, jvm.process());
				ProcessStats stats = jvm.isAlive() ? ProcessStats.read(jvm.pid()) : new ProcessStats(0, 0);
				long brokerCpuAfter = ProcessStats.read(this.brokerPid).cpuMillis();
				long brokerCpu = brokerCpuAfter - brokerCpuBefore;
				cpu.stop();
				brokerCpuTimeline.stop();
				if (!complete) {
					problems.add("throughput run: only " + watcher.distinct() + " of " + expected
							+ " records visible (" + (jvm.isAlive() ? "timed out" : "contender exited") + ", see "
							+ jvm.logFile() + ")");
				}
				stop(jvm, problems, "throughput run");
				watcher.finish();
				verify(contender, watcher, expected, output, problems, "throughput run");
				long lastVisible = complete ? watcher.lastVisibleMillis() : System.currentTimeMillis();
				return new Throughput(lastVisible - launched, watcher.firstVisibleMillis() - launched,
						watcher.appendTimeSpanMillis(), stats,
						cpu.cpuAt(watcher.firstAppendTime()), brokerCpu,
						brokerCpuAfter - brokerCpuTimeline.cpuAt(watcher.firstAppendTime()));
			}
			finally {
				jvm.close();
			}
		}
	}

	private long[] latencyRun(Contender contender, List<String> problems) throws Exception {
		String input = "lat-in-" + contender.name();
		String output = "lat-out-" + contender.name();
		this.broker.createTopic(input, this.settings.partitions());
		this.broker.createTopic(output, this.settings.partitions());
		int expected = Math.toIntExact(this.settings.latencyRecords());
		long from = System.currentTimeMillis() + this.settings.latencyWarmup().toMillis();
		long until = from + this.settings.latencyDuration().toMillis();
		try (OutputWatcher watcher = new OutputWatcher(this.bootstrapServers, output, this.settings.partitions(),
				expected, this.settings.keys(), from, until).start();
				InputProducer producer = new InputProducer(this.bootstrapServers, this.settings.keys(),
						this.settings.recordSize(), 1)) {
			ChildJvm jvm = launch(contender, "lat", input, output);
			try {
				CompletableFuture<Long> load = CompletableFuture
					.supplyAsync(() -> producer.offer(input, expected, this.settings.latencyRate()));
				Duration timeout = this.settings.latencyWarmup().plus(this.settings.latencyDuration()).plusSeconds(120);
				boolean complete = watcher.awaitComplete(timeout, jvm.process());
				load.get(30, TimeUnit.SECONDS);
				if (!complete) {
					problems.add("latency run: only " + watcher.distinct() + " of " + expected
							+ " records visible (see " + jvm.logFile() + ")");
				}
				stop(jvm, problems, "latency run");
				watcher.finish();
				verify(contender, watcher, expected, output, problems, "latency run");
				return watcher.sortedLatencies();
			}
			finally {
				jvm.close();
			}
		}
	}

	private ChildJvm launch(Contender contender, String run, String input, String output) {
		String id = run + "-" + contender.name();
		List<String> jvmArgs = new ArrayList<>(List.of("-Xmx" + this.settings.heap(), "-XX:+ExitOnOutOfMemoryError",
				"-Dbench.bootstrap-servers=" + this.bootstrapServers, "-Dbench.input=" + input,
				"-Dbench.output=" + output, "-Dbench.group=" + id, "-Dbench.guarantee=" + contender.guarantee(),
				"-Dbench.interval-ms="
						+ ((contender.interval() != null) ? contender.interval() : Contender.ONE_SECOND).toMillis(),
				"-Dbench.id=" + id));
		contender.properties().forEach((key, value) -> jvmArgs.add("-D" + key + "=" + value));
		if (contender.isStarter()) {
			jvmArgs.addAll(this.settings.starterArgs());
		}
		if (this.settings.profile() && contender.isStarter() && run.startsWith("tp")) {
			jvmArgs.add("-XX:StartFlightRecording=filename=" + this.workDir.resolve(id + ".jfr")
					+ ",settings=profile");
		}
		// the starter as its users run it, the other contenders on a class path as theirs do
		ChildJvm.Builder builder = contender.isStarter() ? this.starterApplication.launcher(contender)
				: ChildJvm.builder(contender.mainClass());
		return builder.jvmArgs(jvmArgs)
			.logFile(this.workDir.resolve(id + ".log"))
			.appendLog(false)
			.start();
	}

	private void stop(ChildJvm jvm, List<String> problems, String run) {
		if (!jvm.isAlive()) {
			problems.add(run + ": contender exited early with code " + jvm.exitCode() + " (see " + jvm.logFile()
					+ ")");
			return;
		}
		jvm.stop(STOP_TIMEOUT);
	}

	private void verify(Contender contender, OutputWatcher watcher, int expected, String output,
			List<String> problems, String run) throws Exception {
		if (watcher.distinct() != expected) {
			problems.add(run + ": " + (expected - watcher.distinct()) + " of " + expected + " records missing");
		}
		if (contender.exactlyOnce()) {
			if (watcher.duplicates() > 0) {
				problems.add(run + ": " + watcher.duplicates() + " duplicates under exactly-once");
			}
			if (watcher.outOfOrder() > 0) {
				problems.add(run + ": " + watcher.outOfOrder() + " records out of key order under exactly-once");
			}
			String open = openTransactions(output);
			if (open != null) {
				problems.add(run + ": transaction left open on " + open);
			}
		}
	}

	/** Partitions whose read_committed end is still below the log end 30 s after the contender stopped. */
	private String openTransactions(String topic) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		String open;
		do {
			Map<TopicPartition, Long> committed = ends(topic, IsolationLevel.READ_COMMITTED);
			Map<TopicPartition, Long> all = ends(topic, IsolationLevel.READ_UNCOMMITTED);
			open = all.entrySet()
				.stream()
				.filter((end) -> !end.getValue().equals(committed.get(end.getKey())))
				.map((end) -> end.getKey() + " (LSO " + committed.get(end.getKey()) + " < " + end.getValue() + ")")
				.collect(Collectors.joining(", "));
			if (open.isEmpty()) {
				return null;
			}
			Thread.sleep(500);
		}
		while (System.nanoTime() < deadline);
		return open;
	}

	private Map<TopicPartition, Long> ends(String topic, IsolationLevel isolation) throws Exception {
		Map<TopicPartition, OffsetSpec> request = IntStream.range(0, this.settings.partitions())
			.boxed()
			.collect(Collectors.toMap((p) -> new TopicPartition(topic, p), (p) -> OffsetSpec.latest()));
		return this.broker.admin().listOffsets(request, new ListOffsetsOptions(isolation))
			.all()
			.get(30, TimeUnit.SECONDS)
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (e) -> e.getValue().offset()));
	}

	/**
	 * Samples a process's CPU time every 20 ms, so that the CPU it had spent when the
	 * contender wrote its first output record (by the broker's append time) can be looked
	 * up: the CPU of the contender's start-up, and the broker's during it.
	 */
	private static final class CpuTimeline {

		private final Thread thread;

		private final List<long[]> samples = new ArrayList<>();

		private volatile boolean stopped;

		CpuTimeline(ChildJvm jvm) {
			this(jvm.pid(), jvm::isAlive);
		}

		CpuTimeline(long pid, java.util.function.BooleanSupplier alive) {
			this.thread = new Thread(() -> {
				while (!this.stopped && alive.getAsBoolean()) {
					long cpu = ProcessStats.read(pid).cpuMillis();
					synchronized (this.samples) {
						this.samples.add(new long[] { System.currentTimeMillis(), cpu });
					}
					try {
						Thread.sleep(20);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "cpu-timeline");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		void stop() throws InterruptedException {
			this.stopped = true;
			this.thread.join();
		}

		/** The CPU milliseconds of the last sample taken at or before {@code epochMillis}. */
		long cpuAt(long epochMillis) {
			long cpu = 0;
			synchronized (this.samples) {
				for (long[] sample : this.samples) {
					if (sample[0] > epochMillis) {
						break;
					}
					cpu = sample[1];
				}
			}
			return cpu;
		}

	}

	private static long percentile(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return -1;
		}
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
	}

	/** Something the harness runs once per round beside the contenders. */
	@FunctionalInterface
	interface RoundTask {

		void run(int round) throws Exception;

	}

	private record Throughput(long launchToLastMillis, long startupMillis, long appendSpanMillis, ProcessStats stats,
			long cpuMillisAtFirstOutput, long brokerCpuMillis, long steadyBrokerCpuMillis) {

		double recordsPerSecond(double records) {
			return records * 1000.0 / Math.max(1, this.launchToLastMillis);
		}

	}

}
