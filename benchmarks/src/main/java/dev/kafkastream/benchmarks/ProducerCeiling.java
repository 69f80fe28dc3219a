package dev.kafkastream.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.test.ChildJvm;
import dev.kafkastream.test.KafkaTestBroker;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * The single-producer ceiling: Kafka's {@code ProducerPerformance} (kafka-tools) in its own JVM with the contenders'
 * heap, writing as many records of the same size as the contenders copy to a fresh topic with the output topics'
 * partitions, with the producer settings of this starter's exactly-once sink (taken from {@link KafkaSinkSpec}, so
 * they stay the sink's) and one transaction per {@linkplain Contender#ONE_SECOND checkpoint interval}. It has no
 * input and nothing to verify, so it is not a {@link Contender}: the harness runs it once per round, after the
 * contenders, and reports its median run.
 */
final class ProducerCeiling {

	/** Its name in {@code benchmark.contenders}. */
	static final String NAME = "ceiling";

	private static final Pattern TOTAL = Pattern.compile("^(\\d+) records sent, ([0-9.]+) records/sec .*99th.*");

	private static final Pattern STATS = Pattern.compile("^" + Pattern.quote(ProducerPerformanceJvm.STATS_PREFIX)
			+ "cpu-ms-before=(\\d+) cpu-ms-after=(\\d+) peak-rss-kb=(\\d+)$");

	private final BenchmarkSettings settings;

	private final KafkaTestBroker broker;

	private final long brokerPid;

	private final Path workDir;

	private final List<Run> runs = new ArrayList<>();

	private final List<String> failures = new ArrayList<>();

	ProducerCeiling(BenchmarkSettings settings, KafkaTestBroker broker, long brokerPid, Path workDir) {
		this.settings = settings;
		this.broker = broker;
		this.brokerPid = brokerPid;
		this.workDir = workDir;
	}

	/**
	 * Runs {@code ProducerPerformance} once, to a topic of its own.
	 * @param round the round of the harness
	 * @throws Exception if the run could not be made
	 */
	void run(int round) throws Exception {
		String id = "ceiling-" + round;
		Benchmarks.log("Running the single-producer ceiling (ProducerPerformance), run %d of %d", round,
				this.settings.repeat());
		this.broker.createTopic(id, this.settings.partitions(), Map.of("message.timestamp.type", "LogAppendTime"));
		long brokerCpuBefore = ProcessStats.read(this.brokerPid).cpuMillis();
		ChildJvm jvm = ChildJvm.builder(ProducerPerformanceJvm.class)
			.jvmArgs("-Xmx" + this.settings.heap(), "-XX:+ExitOnOutOfMemoryError")
			.args(arguments(id))
			.logFile(this.workDir.resolve(id + ".log"))
			.appendLog(false)
			.start();
		try {
			Integer exit = jvm.waitFor(Duration.ofSeconds(120 + this.settings.records() / 5_000));
			long brokerCpu = ProcessStats.read(this.brokerPid).cpuMillis() - brokerCpuBefore;
			if (exit == null || exit != 0) {
				this.failures.add(id + ": " + ((exit == null) ? "timed out" : "exited with code " + exit) + " (see "
						+ jvm.logFile() + ")");
				Benchmarks.log("  %s", this.failures.get(this.failures.size() - 1));
				return;
			}
			Run run = read(jvm.logFile(), brokerCpu, appendSpanMillis(id));
			this.runs.add(run);
			Benchmarks.log("  ceiling: %,.0f records/s (ProducerPerformance), steady %,.0f", run.recordsPerSecond,
					this.settings.records() * 1000.0 / run.appendSpanMillis);
		}
		finally {
			jvm.close();
		}
	}

	/**
	 * The median run by {@code ProducerPerformance}'s records/s.
	 * @return the measurement ({@link CeilingMeasurement#measured() not measured} if no run completed)
	 */
	CeilingMeasurement measurement() {
		List<Double> all = this.runs.stream().map(Run::recordsPerSecond).toList();
		List<Run> sorted = this.runs.stream().sorted(Comparator.comparingDouble(Run::recordsPerSecond)).toList();
		double millions = this.settings.records() / 1e6;
		if (sorted.isEmpty()) {
			return new CeilingMeasurement(producerSettings(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
					Double.NaN, Double.NaN, all, List.copyOf(this.failures));
		}
		Run median = sorted.get(sorted.size() / 2);
		return new CeilingMeasurement(producerSettings(), median.recordsPerSecond,
				this.settings.records() * 1000.0 / median.appendSpanMillis, median.peakRssKb / 1024.0,
				median.cpuMillisAfter / 1000.0 / millions,
				(median.cpuMillisAfter - median.cpuMillisBefore) / 1000.0 / millions,
				median.brokerCpuMillis / 1000.0 / millions, all, List.copyOf(this.failures));
	}

	private List<String> arguments(String id) {
		List<String> arguments = new ArrayList<>(List.of("--bootstrap-server", this.broker.bootstrapServers(),
				"--topic", id, "--num-records", Integer.toString(this.settings.records()), "--record-size",
				Integer.toString(this.settings.recordSize()), "--throughput", "-1", "--transactional-id", id,
				"--transaction-duration-ms", Long.toString(Contender.ONE_SECOND.toMillis()), "--command-property"));
		arguments.addAll(producerSettings());
		return arguments;
	}

	/**
	 * The producer configuration of an exactly-once sink of this starter with nothing configured, less what
	 * {@code ProducerPerformance} sets itself (serializers, client and transactional id).
	 */
	private static List<String> producerSettings() {
		Map<String, Object> config = KafkaSinkSpec.builder()
			.name(NAME)
			.topic(NAME)
			.deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
			.transactionalIdPrefix(NAME)
			.build()
			.producerConfig(NAME, NAME);
		List<String> ownedByProducerPerformance = List.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ProducerConfig.CLIENT_ID_CONFIG,
				ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		return config.entrySet()
			.stream()
			.filter((entry) -> !ownedByProducerPerformance.contains(entry.getKey()))
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.sorted()
			.toList();
	}

	private Run read(Path log, long brokerCpuMillis, long appendSpanMillis) throws Exception {
		Matcher total = null;
		Matcher stats = null;
		for (String line : Files.readAllLines(log)) {
			Matcher matcher = TOTAL.matcher(line);
			if (matcher.matches()) {
				total = matcher;
			}
			matcher = STATS.matcher(line);
			if (matcher.matches()) {
				stats = matcher;
			}
		}
		if (total == null || stats == null || Long.parseLong(total.group(1)) != this.settings.records()) {
			throw new IllegalStateException("ProducerPerformance did not report sending " + this.settings.records()
					+ " records, see " + log);
		}
		return new Run(Double.parseDouble(total.group(2)), appendSpanMillis, Long.parseLong(stats.group(1)),
				Long.parseLong(stats.group(2)), Long.parseLong(stats.group(3)), brokerCpuMillis);
	}

	/** The broker append times of the topic's first and last record, apart. */
	private long appendSpanMillis(String topic) throws Exception {
		long first = times(topic, OffsetSpec.forTimestamp(0)).stream().mapToLong(Long::longValue).min().orElseThrow();
		long last = times(topic, OffsetSpec.maxTimestamp()).stream().mapToLong(Long::longValue).max().orElseThrow();
		return Math.max(1, last - first);
	}

	private List<Long> times(String topic, OffsetSpec spec) throws Exception {
		Map<TopicPartition, OffsetSpec> request = IntStream.range(0, this.settings.partitions())
			.boxed()
			.collect(Collectors.toMap((p) -> new TopicPartition(topic, p), (p) -> spec));
		return this.broker.admin()
			.listOffsets(request)
			.all()
			.get(30, TimeUnit.SECONDS)
			.values()
			.stream()
			.filter((info) -> info.offset() >= 0 && info.timestamp() >= 0)
			.map(ListOffsetsResultInfo::timestamp)
			.toList();
	}

	private record Run(double recordsPerSecond, long appendSpanMillis, long cpuMillisBefore, long cpuMillisAfter,
			long peakRssKb, long brokerCpuMillis) {

	}

}
