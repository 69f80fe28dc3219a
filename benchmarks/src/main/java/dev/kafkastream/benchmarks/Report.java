package dev.kafkastream.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoublePredicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import org.apache.kafka.common.utils.AppInfoParser;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringBootVersion;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Writes {@code BENCHMARKS.md}: machine, versions and settings, the results table, the single-producer ceiling,
 * each target of issue 15 with its ratio and whether it is met, and other comparisons without a target. Text below
 * the {@value #NOTES_MARKER} line of an existing report is kept.
 */
final class Report {

	static final String NOTES_MARKER = "<!-- Notes below this line are kept when the harness rewrites this file. -->";

	/** The contenders whose start-up and launch-to-last throughput are held against the plain loop. */
	private static final List<String> STARTUP_CONTENDERS = List.of("starter-eos-1s", "starter-alo-1s",
			"starter-eos-1s-fast", "starter-alo-1s-fast");

	/** Ratios shown without a target: contender and the one it is compared with. */
	private static final List<String[]> OTHER_COMPARISONS = List.of(
			new String[] { "starter-eos-1s", "streams-eos-1s" }, new String[] { "starter-alo-1s", "streams-alo-1s" },
			new String[] { "starter-eos-1s", "spring-kafka-eos" },
			new String[] { "starter-none-1s", "starter-alo-1s" });

	private final BenchmarkSettings settings;

	private final List<Measurement> measurements;

	private final Duration elapsed;

	private final @Nullable CeilingMeasurement ceiling;

	Report(BenchmarkSettings settings, List<Measurement> measurements, @Nullable CeilingMeasurement ceiling,
			Duration elapsed) {
		this.settings = settings;
		this.measurements = measurements;
		this.ceiling = ceiling;
		this.elapsed = elapsed;
	}

	boolean allVerified() {
		return this.measurements.stream().allMatch(Measurement::verified);
	}

	void write(Path file) throws IOException {
		String notes = "";
		if (Files.exists(file)) {
			String existing = Files.readString(file);
			int marker = existing.indexOf(NOTES_MARKER);
			if (marker >= 0) {
				notes = existing.substring(marker + NOTES_MARKER.length());
			}
		}
		Files.writeString(file, text() + "\n" + NOTES_MARKER + notes);
	}

	String text() {
		StringBuilder out = new StringBuilder();
		out.append("# Benchmarks\n\n");
		out.append("Written by the benchmark harness (`./mvnw -Pbenchmarks -DskipTests verify`, module `benchmarks`) on ")
			.append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
			.append(" in ")
			.append(this.elapsed.toMinutes())
			.append(" min. ")
			.append(allVerified() ? "Every verifier check passed."
					: "**VOID: a verifier check failed** (see the last column).")
			.append("\n\n");
		machine(out);
		results(out);
		ceiling(out);
		targets(out);
		otherComparisons(out);
		return out.toString();
	}

	private void machine(StringBuilder out) {
		out.append("## Machine, versions and settings\n\n");
		out.append("- Machine: ").append(Machine.cpu()).append(", ").append(Runtime.getRuntime().availableProcessors())
			.append(" cores, ").append(Machine.memory()).append(", ").append(System.getProperty("os.name")).append(' ')
			.append(System.getProperty("os.version")).append('\n');
		out.append("- Java: ").append(System.getProperty("java.vm.name")).append(' ')
			.append(System.getProperty("java.runtime.version")).append("; every contender JVM: `-Xmx")
			.append(this.settings.heap()).append("`, default collector, nothing else\n");
		out.append("- Kafka ").append(AppInfoParser.getVersion()).append(" (clients, Streams and the broker), Spring Boot ")
			.append(SpringBootVersion.getVersion()).append(", Spring Kafka ")
			.append(KafkaTemplate.class.getPackage().getImplementationVersion()).append('\n');
		out.append("- Broker: one KRaft node (`kafka.Kafka`, broker and controller) in a child JVM on the same machine, ")
			.append("`-Xmx1g`, default settings apart from replication factor 1 for the internal topics\n");
		out.append("- Input: ").append(String.format(Locale.ROOT, "%,d", this.settings.records())).append(" records of ")
			.append(this.settings.recordSize()).append(" bytes (JSON), keys over ")
			.append(String.format(Locale.ROOT, "%,d", this.settings.keys())).append(" values, ")
			.append(this.settings.partitions()).append(" partitions, preloaded; every output topic has ")
			.append(this.settings.partitions()).append(" partitions\n");
		out.append("- Throughput: ").append(this.settings.repeat())
			.append(" runs per contender, each in a fresh JVM with a fresh consumer group, in rounds that run every")
			.append(" contender once (so the broker warming up weighs on all alike); the run with the median ")
			.append("records/s is reported\n");
		out.append("- Every contender: one thread consuming all partitions, producer `acks=all` with idempotence, ")
			.append("1 s commit or checkpoint interval unless the name says otherwise\n");
		List<String> latency = this.measurements.stream()
			.map((m) -> m.contender().name())
			.filter(this.settings::selectsLatency)
			.toList();
		out.append("- Latency runs (").append(latency.isEmpty() ? "none" : String.join(", ", latency)).append("): ")
			.append(String.format(Locale.ROOT, "%,d", this.settings.latencyRate()))
			.append(" records/s offered to an empty topic; latencies of the records produced from ")
			.append(Durations.text(this.settings.latencyWarmup())).append(" to ")
			.append(Durations.text(this.settings.latencyWarmup().plus(this.settings.latencyDuration())))
			.append(" after the contender was launched\n\n");
	}

	private void results(StringBuilder out) {
		out.append("## Results\n\n");
		out.append("| Contender | What | Guarantee | Interval | records/s | steady records/s | start-up to first output (s) ")
			.append("| latency p50 / p99 / max (ms) | peak RSS (MB) | CPU s per million (steady) | broker CPU s per million (steady) | verified |\n");
		out.append("|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|\n");
		for (Measurement m : this.measurements) {
			Contender c = m.contender();
			out.append(String.format(Locale.ROOT,
					"| %s | %s | %s | %s | %,.0f | %,.0f | %.2f | %d / %d / %d | %.0f | %.2f (%.2f) | %.2f (%.2f) | %s |%n", c.name(),
					c.description(), c.guarantee(), c.intervalText(), m.recordsPerSecond(), m.steadyRecordsPerSecond(),
					m.startupMillis() / 1000.0, m.p50Millis(), m.p99Millis(), m.maxMillis(), m.peakRssMb(),
					m.cpuSecondsPerMillion(), m.steadyCpuSecondsPerMillion(),
					m.brokerCpuSecondsPerMillion(), m.steadyBrokerCpuSecondsPerMillion(), m.verified() ? "yes" : "**no**: " + m.verification()));
		}
		out.append("\n*records/s*: input records over the time from launching the contender JVM to the last record ")
			.append("visible to a `read_committed` consumer (start-up included). *steady records/s*: input records over ")
			.append("the broker append times of the first and last output record. *start-up*: launch to the first ")
			.append("output record visible. *latency*: produce time to `read_committed` visibility. *peak RSS* ")
			.append("(`VmHWM`) and *CPU* (user + system) of the contender JVM in the throughput run: in all, and (steady) after its first ")
			.append("output record was written (its broker append time). *broker CPU*: the broker JVM's ")
			.append("CPU during the throughput run, and (steady) from the contender's first output record on.")
			.append("\n\n");
	}

	private void ceiling(StringBuilder out) {
		if (this.ceiling == null) {
			return;
		}
		out.append("## Single-producer ceiling\n\n");
		out.append("Kafka's `ProducerPerformance` (kafka-tools) in its own JVM (`-Xmx").append(this.settings.heap())
			.append("`), once per round after the contenders: ")
			.append(String.format(Locale.ROOT, "%,d", this.settings.records())).append(" records of ")
			.append(this.settings.recordSize()).append(" bytes (no key, a random payload) to a fresh topic of ")
			.append(this.settings.partitions()).append(" partitions, one transaction per ")
			.append(Durations.text(Contender.ONE_SECOND)).append(" (`--transaction-duration-ms`), with the producer ")
			.append("settings of this starter's exactly-once sink: `")
			.append(String.join("`, `", this.ceiling.producerSettings())).append("`.\n\n");
		if (!this.ceiling.measured()) {
			out.append("No run completed: ").append(String.join("; ", this.ceiling.failures())).append("\n\n");
			return;
		}
		out.append("| records/s (ProducerPerformance) | steady records/s | peak RSS (MB) | CPU s per million (steady) ")
			.append("| broker CPU s per million | runs (records/s) |\n|--:|--:|--:|--:|--:|---|\n");
		out.append(String.format(Locale.ROOT, "| %,.0f | %,.0f | %.0f | %.2f (%.2f) | %.2f | %s |%n",
				this.ceiling.recordsPerSecond(), this.ceiling.steadyRecordsPerSecond(), this.ceiling.peakRssMb(),
				this.ceiling.cpuSecondsPerMillion(), this.ceiling.steadyCpuSecondsPerMillion(),
				this.ceiling.brokerCpuSecondsPerMillion(), this.ceiling.runs()
					.stream()
					.map((run) -> String.format(Locale.ROOT, "%,.0f", run))
					.collect(Collectors.joining(", "))));
		out.append("\n*records/s*: as `ProducerPerformance` reports it, from its first send to its producer closed. ")
			.append("*steady records/s*: records over the broker append times of the first and last record, as for ")
			.append("the contenders; the steady exactly-once target compares with this one. *CPU (steady)*: while ")
			.append("`ProducerPerformance` ran, the JVM's start excluded. *broker CPU*: writes only; the contenders' ")
			.append("broker CPU also serves their reads and the verifier's.");
		if (!this.ceiling.failures().isEmpty()) {
			out.append(" Runs that did not complete (not counted): ").append(String.join("; ", this.ceiling.failures()))
				.append('.');
		}
		out.append("\n\n");
	}

	private void targets(StringBuilder out) {
		out.append("## Targets (issue 15)\n\n");
		out.append("Only for contenders that ran; each figure is that of the contender's median run.\n\n");
		out.append("| Target | Measured | Met |\n|---|---|---|\n");
		for (String name : STARTUP_CONTENDERS) {
			find(name).ifPresent((m) -> find(plainLoopFor(m.contender())).ifPresent((b) -> startup(out, m, b)));
		}
		for (String name : STARTUP_CONTENDERS) {
			find(name).ifPresent((m) -> find(plainLoopFor(m.contender())).ifPresent((b) -> compare(out,
					"launch to last committed record of " + m.contender().name() + " ≥ 1.0 × " + b.contender().name(),
					m, b, Measurement::recordsPerSecond, " records/s", (ratio) -> ratio >= 1.0)));
		}
		steadyExactlyOnce(out);
		jsonHandler(out, "starter-json-eos-1s", "starter-eos-1s");
		jsonHandler(out, "starter-json-alo-1s", "starter-alo-1s");
		noRegression(out);
		out.append('\n');
	}

	private void startup(StringBuilder out, Measurement m, Measurement plain) {
		long difference = m.startupMillis() - plain.startupMillis();
		row(out, "launch to first output of " + m.contender().name() + " within 0.5 s of " + plain.contender().name(),
				String.format(Locale.ROOT, "%.2f s vs %.2f s (**%+.2f s**)", m.startupMillis() / 1000.0,
						plain.startupMillis() / 1000.0, difference / 1000.0),
				difference <= 500);
	}

	/**
	 * Steady exactly-once: at least 1.2 × the plain loop at the same or lower CPU per million (application and
	 * broker); or, where the plain loop already sits at the single-producer ceiling (within 5%, so that 1.2 × it is
	 * out of reach), within 5% of the ceiling at lower CPU per million than the plain loop. Met if either is.
	 */
	private void steadyExactlyOnce(StringBuilder out) {
		Optional<Measurement> found = find("starter-eos-1s");
		Optional<Measurement> foundPlain = find("plain-eos-1s");
		if (found.isEmpty() || foundPlain.isEmpty()) {
			return;
		}
		Measurement m = found.get();
		Measurement plain = foundPlain.get();
		double ratio = m.steadyRecordsPerSecond() / plain.steadyRecordsPerSecond();
		double cpu = steadyTotalCpu(m);
		double plainCpu = steadyTotalCpu(plain);
		String cpuText = String.format(Locale.ROOT, "CPU s per million (steady, application + broker) %.2f vs %.2f",
				cpu, plainCpu);
		boolean faster = ratio >= 1.2 && cpu <= plainCpu;
		row(out, "steady exactly-once: starter-eos-1s ≥ 1.2 × plain-eos-1s at the same or lower CPU per million "
				+ "(application + broker)",
				String.format(Locale.ROOT, "%,.0f / %,.0f = **%.2f×** steady records/s; %s", m.steadyRecordsPerSecond(),
						plain.steadyRecordsPerSecond(), ratio, cpuText),
				faster);
		if (this.ceiling == null || !this.ceiling.measured()) {
			return;
		}
		double ceilingRate = this.ceiling.steadyRecordsPerSecond();
		double share = m.steadyRecordsPerSecond() / ceilingRate;
		double plainShare = plain.steadyRecordsPerSecond() / ceilingRate;
		boolean applies = plainShare >= 0.95;
		boolean atCeiling = applies && share >= 0.95 && cpu < plainCpu;
		row(out, "or, where plain-eos-1s sits at the single-producer ceiling (≥ 0.95 × it): starter-eos-1s within "
				+ "5% of the ceiling at lower CPU per million than plain-eos-1s",
				String.format(Locale.ROOT, "ceiling %,.0f steady records/s; starter-eos-1s **%.2f×** of it, "
						+ "plain-eos-1s **%.2f×** (%s); %s", ceilingRate, share, plainShare,
						applies ? "applies" : "does not apply", cpuText),
				atCeiling);
		row(out, "steady exactly-once target (either form)", faster ? "1.2 × the plain loop" : atCeiling
				? "within 5% of the ceiling" : "neither form", faster || atCeiling);
	}

	private void jsonHandler(StringBuilder out, String json, String bytes) {
		find(json).ifPresent((m) -> find(bytes).ifPresent((b) -> {
			compare(out, "CPU per million of " + json + " ≤ 1.5 × " + bytes, m, b,
					Measurement::cpuSecondsPerMillion, " CPU s per million", (ratio) -> ratio <= 1.5);
			compare(out, "", m, b, Measurement::steadyCpuSecondsPerMillion, " CPU s per million (steady)",
					(ratio) -> ratio <= 1.5);
		}));
	}

	private void noRegression(StringBuilder out) {
		for (Measurement m : this.measurements) {
			Contender c = m.contender();
			if (c.isStarter() && c.exactlyOnce() && m.p99Millis() >= 0) {
				long limit = c.interval().toMillis() + 100;
				row(out, "p99 latency of " + c.name() + " ≤ " + limit + " ms at "
						+ String.format(Locale.ROOT, "%,d", this.settings.latencyRate()) + " records/s",
						m.p99Millis() + " ms", m.p99Millis() <= limit);
			}
		}
		peakRss(out, "peak RSS of every starter contender on `java -jar` ≤ 300 MB (`-Xmx" + this.settings.heap() + "`)",
				false);
		peakRss(out, "peak RSS of every faster-start contender (AOT + CDS, the archive mapped in) ≤ 300 MB (`-Xmx"
				+ this.settings.heap() + "`)", true);
		long verified = this.measurements.stream().filter(Measurement::verified).count();
		if (!this.measurements.isEmpty()) {
			row(out, "every verifier check passes", verified + " of " + this.measurements.size() + " contenders",
					verified == this.measurements.size());
		}
	}

	private void peakRss(StringBuilder out, String target, boolean fasterStart) {
		this.measurements.stream()
			.filter((m) -> m.contender().isStarter() && m.contender().name().endsWith("-fast") == fasterStart)
			.max(Comparator.comparingDouble(Measurement::peakRssMb))
			.ifPresent((peak) -> row(out, target,
					String.format(Locale.ROOT, "%.0f MB at most (%s)", peak.peakRssMb(), peak.contender().name()),
					peak.peakRssMb() <= 300));
	}

	private void otherComparisons(StringBuilder out) {
		StringBuilder rows = new StringBuilder();
		for (String[] pair : OTHER_COMPARISONS) {
			find(pair[0]).ifPresent((m) -> find(pair[1]).ifPresent((b) -> rows.append(String.format(Locale.ROOT,
					"| %s / %s | %.2f× | %.2f× | %.2f× (%.2f×) |%n", pair[0], pair[1],
					m.recordsPerSecond() / b.recordsPerSecond(),
					m.steadyRecordsPerSecond() / b.steadyRecordsPerSecond(),
					m.cpuSecondsPerMillion() / b.cpuSecondsPerMillion(),
					m.steadyCpuSecondsPerMillion() / b.steadyCpuSecondsPerMillion()))));
		}
		if (rows.isEmpty()) {
			return;
		}
		out.append("## Other comparisons\n\nRatios without a target in issue 15.\n\n");
		out.append("| Contenders | records/s | steady records/s | CPU s per million (steady) |\n|---|--:|--:|--:|\n")
			.append(rows)
			.append('\n');
	}

	private void compare(StringBuilder out, String target, Measurement m, Measurement b,
			ToDoubleFunction<Measurement> metric, String what, DoublePredicate met) {
		double ratio = metric.applyAsDouble(m) / metric.applyAsDouble(b);
		String format = (metric.applyAsDouble(b) >= 1000) ? "%s / %s = %,.0f / %,.0f = **%.2f×**%s"
				: "%s / %s = %.2f / %.2f = **%.2f×**%s";
		row(out, target, String.format(Locale.ROOT, format, m.contender().name(), b.contender().name(),
				metric.applyAsDouble(m), metric.applyAsDouble(b), ratio, what), met.test(ratio));
	}

	/** CPU seconds per million records of the contender after its first output and of the broker. */
	private static double steadyTotalCpu(Measurement m) {
		return m.steadyCpuSecondsPerMillion() + m.steadyBrokerCpuSecondsPerMillion();
	}

	private static String plainLoopFor(Contender contender) {
		return contender.exactlyOnce() ? "plain-eos-1s" : "plain-alo-1s";
	}

	private Optional<Measurement> find(String name) {
		return this.measurements.stream().filter((m) -> m.contender().name().equals(name)).findFirst();
	}

	private static void row(StringBuilder out, String target, String measured, boolean met) {
		out.append("| ").append(target).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**")
			.append(" |\n");
	}

}
