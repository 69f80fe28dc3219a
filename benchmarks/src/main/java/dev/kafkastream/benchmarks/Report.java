package dev.kafkastream.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoublePredicate;
import java.util.function.ToDoubleFunction;

import org.apache.kafka.common.utils.AppInfoParser;

import org.springframework.boot.SpringBootVersion;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Writes {@code BENCHMARKS.md}: machine, versions and settings, the results table, and each target with the
 * measured ratio. Text below the {@value #NOTES_MARKER} line of an existing report is kept.
 */
final class Report {

	static final String NOTES_MARKER = "<!-- Notes below this line are kept when the harness rewrites this file. -->";

	private final BenchmarkSettings settings;

	private final List<Measurement> measurements;

	private final Duration elapsed;

	Report(BenchmarkSettings settings, List<Measurement> measurements, Duration elapsed) {
		this.settings = settings;
		this.measurements = measurements;
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
		targets(out);
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
		out.append("- Latency runs: ").append(String.format(Locale.ROOT, "%,d", this.settings.latencyRate()))
			.append(" records/s offered to an empty topic; latencies of the records produced from ")
			.append(Durations.text(this.settings.latencyWarmup())).append(" to ")
			.append(Durations.text(this.settings.latencyWarmup().plus(this.settings.latencyDuration())))
			.append(" after the contender was launched\n\n");
	}

	private void results(StringBuilder out) {
		out.append("## Results\n\n");
		out.append("| Contender | What | Guarantee | Interval | records/s | steady records/s | start-up to first output (s) ")
			.append("| latency p50 / p99 / max (ms) | peak RSS (MB) | CPU s per million (steady) | broker CPU s per million | verified |\n");
		out.append("|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|\n");
		for (Measurement m : this.measurements) {
			Contender c = m.contender();
			out.append(String.format(Locale.ROOT,
					"| %s | %s | %s | %s | %,.0f | %,.0f | %.2f | %d / %d / %d | %.0f | %.2f (%.2f) | %.2f | %s |%n", c.name(),
					c.description(), c.guarantee(), c.intervalText(), m.recordsPerSecond(), m.steadyRecordsPerSecond(),
					m.startupMillis() / 1000.0, m.p50Millis(), m.p99Millis(), m.maxMillis(), m.peakRssMb(),
					m.cpuSecondsPerMillion(), m.steadyCpuSecondsPerMillion(),
					m.brokerCpuSecondsPerMillion(), m.verified() ? "yes" : "**no**: " + m.verification()));
		}
		out.append("\n*records/s*: input records over the time from launching the contender JVM to the last record ")
			.append("visible to a `read_committed` consumer (start-up included). *steady records/s*: input records over ")
			.append("the broker append times of the first and last output record. *start-up*: launch to the first ")
			.append("output record visible. *latency*: produce time to `read_committed` visibility. *peak RSS* ")
			.append("(`VmHWM`) and *CPU* (user + system) of the contender JVM in the throughput run: in all, and (steady) after its first ")
			.append("output record was written (its broker append time). *broker CPU*: the broker JVM's ")
			.append("CPU during the throughput run.")
			.append("\n\n");
	}

	private void targets(StringBuilder out) {
		out.append("## Targets\n\n| Target | Measured | Met |\n|---|---|---|\n");
		ratio(out, "exactly-once (1 s) ≥ 1.2 × the plain exactly-once loop", "starter-eos-1s", "plain-eos-1s", 1.2);
		ratio(out, "exactly-once (1 s) ≥ 2 × Kafka Streams `exactly_once_v2`", "starter-eos-1s", "streams-eos-1s", 2);
		ratio(out, "exactly-once (1 s) ≥ 3 × the Spring Kafka batch-transaction listener", "starter-eos-1s",
				"spring-kafka-eos", 3);
		ratio(out, "at-least-once (1 s) ≥ 1.1 × the plain at-least-once loop", "starter-alo-1s", "plain-alo-1s", 1.1);
		ratio(out, "`none` ≥ at-least-once (1 s)", "starter-none-1s", "starter-alo-1s", 1.0);
		for (Measurement m : this.measurements) {
			Contender c = m.contender();
			if (c.isStarter() && c.exactlyOnce()) {
				long limit = c.interval().toMillis() + 100;
				row(out, "p99 latency of " + c.name() + " ≤ " + limit + " ms at "
						+ String.format(Locale.ROOT, "%,d", this.settings.latencyRate()) + " records/s",
						m.p99Millis() + " ms", m.p99Millis() >= 0 && m.p99Millis() <= limit);
			}
		}
		double peak = this.measurements.stream()
			.filter((m) -> m.contender().isStarter())
			.mapToDouble(Measurement::peakRssMb)
			.max()
			.orElse(-1);
		if (peak >= 0) {
			row(out, "peak RSS of every starter run ≤ 300 MB", String.format(Locale.ROOT, "%.0f MB at most", peak),
					peak <= 300);
		}
		startup(out, "starter-eos-1s", "plain-eos-1s");
		startup(out, "starter-alo-1s", "plain-alo-1s");
		out.append('\n');
	}

	private void ratio(StringBuilder out, String target, String name, String baseline, double factor) {
		compare(out, target, name, baseline, Measurement::recordsPerSecond, (ratio) -> ratio >= factor, " (records/s)");
		compare(out, "", name, baseline, Measurement::steadyRecordsPerSecond, (ratio) -> ratio >= factor,
				" (steady records/s)");
	}

	private void compare(StringBuilder out, String target, String name, String baseline,
			ToDoubleFunction<Measurement> metric, DoublePredicate met, String what) {
		Optional<Measurement> m = find(name);
		Optional<Measurement> b = find(baseline);
		if (m.isEmpty() || b.isEmpty()) {
			return;
		}
		double ratio = metric.applyAsDouble(m.get()) / metric.applyAsDouble(b.get());
		row(out, target, String.format(Locale.ROOT, "%s / %s = %,.0f / %,.0f = **%.2f×**%s", name, baseline,
				metric.applyAsDouble(m.get()), metric.applyAsDouble(b.get()), ratio, what), met.test(ratio));
	}

	private void startup(StringBuilder out, String name, String baseline) {
		Optional<Measurement> m = find(name);
		Optional<Measurement> b = find(baseline);
		if (m.isPresent() && b.isPresent()) {
			long difference = m.get().startupMillis() - b.get().startupMillis();
			row(out, "start-up to first output of " + name + " within 1 s of " + baseline,
					String.format(Locale.ROOT, "%.2f s vs %.2f s (%+.2f s)", m.get().startupMillis() / 1000.0,
							b.get().startupMillis() / 1000.0, difference / 1000.0),
					difference <= 1000);
		}
	}

	private Optional<Measurement> find(String name) {
		return this.measurements.stream().filter((m) -> m.contender().name().equals(name)).findFirst();
	}

	private static void row(StringBuilder out, String target, String measured, boolean met) {
		out.append("| ").append(target).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**")
			.append(" |\n");
	}

}
