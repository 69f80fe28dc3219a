package dev.kafkastream.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.kafkastream.test.KafkaBrokerProcess;

/**
 * The benchmark harness: starts a KRaft broker in a child JVM, preloads the input topic, runs every selected
 * contender in its own JVM (throughput runs and a latency run each), and the single-producer ceiling if selected,
 * verifies every output and writes the report.
 * Exits with 1 if any verifier check failed: such a run is void.
 */
public final class Benchmarks {

	static final String INPUT = "bench-input";

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		BenchmarkSettings settings = BenchmarkSettings.fromSystemProperties();
		List<Contender> contenders = Contender.all().stream().filter((c) -> settings.selects(c.name())).toList();
		boolean ceiling = settings.selects(ProducerCeiling.NAME);
		List<String> known = new ArrayList<>(Contender.all().stream().map(Contender::name).toList());
		known.add(ProducerCeiling.NAME);
		if (contenders.isEmpty() && !ceiling) {
			throw new IllegalArgumentException("benchmark.contenders " + settings.contenders() + " selects none of "
					+ known);
		}
		settings.unknownContenders(known)
			.forEach((name) -> log("benchmark.contenders names %s, which this build does not have: skipped", name));
		long begin = System.nanoTime();
		Path workDir = Files.createTempDirectory("kafka-stream-benchmarks-");
		log("Work directory (contender logs%s): %s", settings.profile() ? ", flight recordings" : "", workDir);
		List<Measurement> measurements = new ArrayList<>();
		CeilingMeasurement ceilingMeasurement = null;
		try (KafkaBrokerProcess broker = KafkaBrokerProcess.builder()
			.jvmArgs("-Xmx1g", "-XX:TieredStopAtLevel=4")
			.build()
			.start()) {
			log("Broker up on %s", broker.bootstrapServers());
			broker.createTopic(INPUT, settings.partitions());
			long loadStart = System.nanoTime();
			try (InputProducer producer = new InputProducer(broker.bootstrapServers(), settings.keys(),
					settings.recordSize(), 20)) {
				producer.preload(INPUT, settings.records());
			}
			log("Preloaded %,d records in %.1f s", settings.records(), (System.nanoTime() - loadStart) / 1e9);
			ContenderRunner runner = new ContenderRunner(settings, broker, broker.jvm().pid(), INPUT,
					workDir);
			ProducerCeiling producerCeiling = new ProducerCeiling(settings, broker, broker.jvm().pid(), workDir);
			for (Measurement m : runner.run(contenders, (round) -> {
				if (ceiling) {
					producerCeiling.run(round);
				}
			})) {
				measurements.add(m);
				log("%s: %,.0f records/s, steady %,.0f, first output after %.2f s, latency p50/p99/max %d/%d/%d ms, "
						+ "peak RSS %.0f MB, CPU s per million %.2f (steady %.2f, broker %.2f)%s", m.contender().name(),
						m.recordsPerSecond(),
						m.steadyRecordsPerSecond(), m.startupMillis() / 1000.0, m.p50Millis(), m.p99Millis(),
						m.maxMillis(), m.peakRssMb(), m.cpuSecondsPerMillion(), m.steadyCpuSecondsPerMillion(),
						m.brokerCpuSecondsPerMillion(),
						m.verified() ? ", verified" : ", CHECK FAILED: " + m.verification());
			}
			if (ceiling) {
				ceilingMeasurement = producerCeiling.measurement();
			}
		}
		Report report = new Report(settings, measurements, ceilingMeasurement,
				Duration.ofNanos(System.nanoTime() - begin));
		report.write(settings.report());
		log("Report written to %s", settings.report());
		System.out.println(report.text());
		if (!report.allVerified()) {
			log("A verifier check failed: this run is void");
			System.exit(1);
		}
		System.exit(0);
	}

	static void log(String format, Object... args) {
		System.out.printf(Locale.ROOT, "[benchmarks] " + format + "%n", args);
	}


}
