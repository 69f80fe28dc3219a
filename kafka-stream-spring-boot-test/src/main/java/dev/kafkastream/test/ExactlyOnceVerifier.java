package dev.kafkastream.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * Checks an output topic against the inputs that were fed into a pipeline, following the {@link TestRecords}
 * convention: every output value starts with the input id, optionally followed by {@code '|'} and a payload (for
 * output that carries the id elsewhere, such as in a JSON field, set an {@link #idParser(Function) id parser}).
 *
 * <p>{@link #verify()} reads the whole output topic with a {@code read_committed} consumer (all partitions
 * assigned, from the beginning, until each partition's position reaches its {@code read_committed} end offset, the
 * last stable offset) and computes:
 * <ol>
 * <li><b>missing</b> expected ids and <b>duplicate</b> ids (ids read more than once, with where they were read),
 * plus ids that were never input (<b>unexpected</b>) and values without an id (<b>unparseable</b>);</li>
 * <li><b>per-key order</b>: within each output partition, the first occurrences of the ids of one input key
 * (the key of the expected input, such as {@code "key-" + id % keyCount} for {@link TestRecords#produce}) must be in
 * increasing id order, i.e. in input sequence order;</li>
 * <li><b>open transactions</b>: for each partition the {@code read_committed} end offset must equal the
 * {@code read_uncommitted} end offset (high watermark); otherwise a transaction was left open (e.g. by a producer
 * that was killed and never fenced) and blocks {@code read_committed} readers.</li>
 * </ol>
 *
 * <p>{@link Result#assertExactlyOnce()} requires all of these to be clean; {@link Result#assertAtLeastOnce()}
 * requires only that nothing is missing (and no unexpected or unparseable values): duplicates are allowed and
 * reported as a count, order and open transactions are reported only.
 *
 * <p>Transaction markers are written asynchronously after {@code commitTransaction()} returns, so right after a
 * commit the last records may briefly be invisible and the partition may look like it has an open transaction.
 * When the pipeline may still be finishing, use {@link #awaitExactlyOnce(Duration)} /
 * {@link #awaitAtLeastOnce(Duration)}, which re-verify until the condition holds or the timeout expires:
 * <pre>{@code
 * List<TestRecords.Input> inputs = TestRecords.produce(kafka.bootstrapServers(), "in", 10_000, 7);
 * ... run, kill, restart the pipeline ...
 * ExactlyOnceVerifier.of(kafka.bootstrapServers(), "out", inputs).awaitExactlyOnce(Duration.ofSeconds(60));
 * }</pre>
 */
public final class ExactlyOnceVerifier {

	private static final int SAMPLES = 20;

	private final String bootstrapServers;

	private final String topic;

	private final Map<Long, String> expectedKeys;

	private final Map<String, Object> consumerOverrides = new HashMap<>();

	private Duration readTimeout = Duration.ofSeconds(30);

	private Function<String, OptionalLong> idParser = TestRecords::parseId;

	private ExactlyOnceVerifier(String bootstrapServers, String topic, Collection<TestRecords.Input> expected) {
		this.bootstrapServers = bootstrapServers;
		this.topic = topic;
		this.expectedKeys = new HashMap<>(expected.size() * 2);
		for (TestRecords.Input input : expected) {
			this.expectedKeys.put(input.id(), input.key());
		}
	}

	/**
	 * Creates a verifier.
	 * @param bootstrapServers the brokers
	 * @param outputTopic the topic to check
	 * @param expected the inputs each of which must appear in the output (e.g. from {@link TestRecords#produce})
	 * @return the verifier
	 */
	public static ExactlyOnceVerifier of(String bootstrapServers, String outputTopic,
			Collection<TestRecords.Input> expected) {
		return new ExactlyOnceVerifier(bootstrapServers, outputTopic, expected);
	}

	/**
	 * How long one {@link #verify()} may take to read the topic (default 30 seconds).
	 * @param readTimeout the timeout
	 * @return this
	 */
	public ExactlyOnceVerifier readTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
		return this;
	}

	/**
	 * How to find the input id in an output value, for pipelines whose output values do not start with it (default
	 * {@link TestRecords#parseId(String)}). For example, with JSON output carrying the id in a field:
	 * {@code idParser((value) -> OptionalLong.of(mapper.readTree(value).get("id").asLong()))}; the inputs can then
	 * be any values, sent with {@link TestRecords#send(String, String, List)} as {@link TestRecords.Input}s that
	 * carry their id.
	 * @param idParser returns the input id of an output value, or empty if it has none
	 * @return this
	 */
	public ExactlyOnceVerifier idParser(Function<String, OptionalLong> idParser) {
		this.idParser = idParser;
		return this;
	}

	/**
	 * Adds a consumer property (e.g. security settings) to the consumers the verifier uses.
	 * @param key the property
	 * @param value the value
	 * @return this
	 */
	public ExactlyOnceVerifier consumerProperty(String key, Object value) {
		this.consumerOverrides.put(key, value);
		return this;
	}

	/**
	 * Reads the output topic once and returns what was found. Does not throw on violations.
	 * @return the result
	 * @throws IllegalStateException if the topic does not exist or cannot be read within the read timeout
	 */
	public Result verify() {
		try (KafkaConsumer<String, String> committed = consumer("read_committed");
				KafkaConsumer<String, String> uncommitted = consumer("read_uncommitted")) {
			List<PartitionInfo> infos = committed.partitionsFor(this.topic, this.readTimeout);
			if (infos == null || infos.isEmpty()) {
				throw new IllegalStateException("Topic " + this.topic + " does not exist");
			}
			List<TopicPartition> partitions = infos.stream()
				.map(info -> new TopicPartition(info.topic(), info.partition()))
				.sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
				.toList();
			// assigned first: end offsets of unassigned partitions make the client log a warning
			committed.assign(partitions);
			uncommitted.assign(partitions);
			Map<TopicPartition, Long> committedEnd = committed.endOffsets(partitions, this.readTimeout);
			Map<TopicPartition, Long> uncommittedEnd = uncommitted.endOffsets(partitions, this.readTimeout);
			committed.seekToBeginning(partitions);
			Scan scan = new Scan();
			long deadline = System.nanoTime() + this.readTimeout.toNanos();
			while (!reachedEnd(committed, partitions, committedEnd)) {
				if (System.nanoTime() > deadline) {
					Map<Integer, String> positions = new TreeMap<>();
					for (TopicPartition tp : partitions) {
						positions.put(tp.partition(), committed.position(tp) + "/" + committedEnd.get(tp));
					}
					throw new IllegalStateException("Could not read " + this.topic + " up to its read_committed end "
							+ "within " + this.readTimeout + "; positions: " + positions);
				}
				for (ConsumerRecord<String, String> record : committed.poll(Duration.ofMillis(200))) {
					if (record.offset() < committedEnd.get(new TopicPartition(record.topic(), record.partition()))) {
						scan.accept(record);
					}
				}
			}
			return scan.result(committedEnd, uncommittedEnd);
		}
	}

	/**
	 * Verifies repeatedly until {@link Result#isExactlyOnce()} holds.
	 * @param timeout how long to keep trying
	 * @return the successful result
	 * @throws AssertionError with the details of the last result if the timeout expires
	 */
	public Result awaitExactlyOnce(Duration timeout) {
		return awaitCondition(timeout, true);
	}

	/**
	 * Verifies repeatedly until {@link Result#isAtLeastOnce()} holds.
	 * @param timeout how long to keep trying
	 * @return the successful result
	 * @throws AssertionError with the details of the last result if the timeout expires
	 */
	public Result awaitAtLeastOnce(Duration timeout) {
		return awaitCondition(timeout, false);
	}

	private Result awaitCondition(Duration timeout, boolean exactlyOnce) {
		AtomicReference<Result> last = new AtomicReference<>();
		AtomicReference<RuntimeException> lastError = new AtomicReference<>();
		try {
			await("output of " + this.topic + (exactlyOnce ? " exactly once" : " at least once")).atMost(timeout)
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(250))
				.until(() -> {
					try {
						Result result = verify();
						last.set(result);
						lastError.set(null);
						return exactlyOnce ? result.isExactlyOnce() : result.isAtLeastOnce();
					}
					catch (RuntimeException ex) {
						lastError.set(ex);
						return false;
					}
				});
			return last.get();
		}
		catch (ConditionTimeoutException ex) {
			String mode = exactlyOnce ? "exactly-once" : "at-least-once";
			RuntimeException error = lastError.get();
			if (last.get() == null) {
				throw new AssertionError("Output of " + this.topic + " not " + mode + " within " + timeout
						+ "; last attempt failed: " + error, error);
			}
			// the timeout may interrupt the last attempt: the last complete one tells what was read
			throw new AssertionError("Output of " + this.topic + " not " + mode + " within " + timeout + ": "
					+ last.get() + ((error != null) ? "; the attempt after it failed: " + error : ""), error);
		}
	}

	private static boolean reachedEnd(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions,
			Map<TopicPartition, Long> end) {
		for (TopicPartition tp : partitions) {
			if (consumer.position(tp) < end.get(tp)) {
				return false;
			}
		}
		return true;
	}

	private KafkaConsumer<String, String> consumer(String isolationLevel) {
		Map<String, Object> props = new HashMap<>();
		props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers);
		props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
		props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
		props.put(ConsumerConfig.CLIENT_ID_CONFIG, "exactly-once-verifier-" + isolationLevel);
		props.putAll(this.consumerOverrides);
		return new KafkaConsumer<>(props);
	}

	private static String location(long packed) {
		return "p" + (packed >>> 40) + "@" + (packed & ((1L << 40) - 1));
	}

	private static long pack(int partition, long offset) {
		return ((long) partition << 40) | offset;
	}

	/** Accumulates what one read of the topic saw. */
	private final class Scan {

		private final Map<Long, Long> firstLocation = new HashMap<>();

		private final Map<Long, List<Long>> duplicateLocations = new TreeMap<>();

		private final Map<String, Long> lastIdPerPartitionAndKey = new HashMap<>();

		private final List<String> orderViolations = new ArrayList<>();

		private final List<String> unexpected = new ArrayList<>();

		private final List<String> unparseable = new ArrayList<>();

		private long records;

		private long unexpectedCount;

		private long unparseableCount;

		private long orderViolationCount;

		void accept(ConsumerRecord<String, String> record) {
			this.records++;
			long where = pack(record.partition(), record.offset());
			OptionalLong parsed = ExactlyOnceVerifier.this.idParser.apply(record.value());
			if (parsed.isEmpty()) {
				this.unparseableCount++;
				if (this.unparseable.size() < SAMPLES) {
					this.unparseable.add(location(where) + " value=" + abbreviate(record.value()));
				}
				return;
			}
			long id = parsed.getAsLong();
			Long first = this.firstLocation.putIfAbsent(id, where);
			if (first != null) {
				this.duplicateLocations.computeIfAbsent(id, k -> new ArrayList<>(List.of(first))).add(where);
				return;
			}
			String inputKey = ExactlyOnceVerifier.this.expectedKeys.get(id);
			if (inputKey == null) {
				this.unexpectedCount++;
				if (this.unexpected.size() < SAMPLES) {
					this.unexpected.add(id + " at " + location(where));
				}
				return;
			}
			String slot = record.partition() + "/" + inputKey;
			Long previous = this.lastIdPerPartitionAndKey.get(slot);
			if (previous != null && id < previous) {
				this.orderViolationCount++;
				if (this.orderViolations.size() < SAMPLES) {
					this.orderViolations.add(inputKey + ": id " + id + " at " + location(where) + " after id "
							+ previous);
				}
			}
			else {
				this.lastIdPerPartitionAndKey.put(slot, id);
			}
		}

		Result result(Map<TopicPartition, Long> committedEnd, Map<TopicPartition, Long> uncommittedEnd) {
			Set<Long> expectedIds = ExactlyOnceVerifier.this.expectedKeys.keySet();
			TreeSet<Long> missing = new TreeSet<>();
			for (Long id : expectedIds) {
				if (!this.firstLocation.containsKey(id)) {
					missing.add(id);
				}
			}
			long extraCopies = 0;
			List<String> duplicateSamples = new ArrayList<>();
			for (Map.Entry<Long, List<Long>> entry : this.duplicateLocations.entrySet()) {
				extraCopies += entry.getValue().size() - 1;
				if (duplicateSamples.size() < SAMPLES) {
					duplicateSamples.add(entry.getKey() + " x" + entry.getValue().size() + " at "
							+ entry.getValue().stream().map(ExactlyOnceVerifier::location).toList());
				}
			}
			Map<Integer, String> open = new TreeMap<>();
			Map<Integer, Long> ends = new TreeMap<>();
			committedEnd.forEach((tp, end) -> {
				long hw = uncommittedEnd.getOrDefault(tp, end);
				ends.put(tp.partition(), end);
				if (end != hw) {
					open.put(tp.partition(), "read_committed end " + end + " < end " + hw);
				}
			});
			return new Result(ExactlyOnceVerifier.this.topic, expectedIds.size(), this.records, ends, missing.size(),
					missing.stream().limit(SAMPLES).toList(), this.duplicateLocations.size(), extraCopies,
					List.copyOf(this.duplicateLocations.keySet()).subList(0,
							Math.min(SAMPLES, this.duplicateLocations.size())),
					duplicateSamples, this.unexpectedCount, List.copyOf(this.unexpected), this.unparseableCount,
					List.copyOf(this.unparseable), this.orderViolationCount, List.copyOf(this.orderViolations),
					open);
		}

		private String abbreviate(String value) {
			if (value == null) {
				return "null";
			}
			return "'" + ((value.length() > 40) ? value.substring(0, 40) + "..." : value) + "'";
		}

	}

	/**
	 * What {@link ExactlyOnceVerifier#verify()} found. Sample lists hold at most 20 entries each; the counts are
	 * exact.
	 */
	public static final class Result {

		private final String topic;

		private final int expectedCount;

		private final long recordsRead;

		private final Map<Integer, Long> committedEndOffsets;

		private final long missingCount;

		private final List<Long> missingSamples;

		private final long duplicateIdCount;

		private final long extraCopies;

		private final List<Long> duplicateIdSamples;

		private final List<String> duplicateDetails;

		private final long unexpectedCount;

		private final List<String> unexpectedSamples;

		private final long unparseableCount;

		private final List<String> unparseableSamples;

		private final long orderViolationCount;

		private final List<String> orderViolationSamples;

		private final Map<Integer, String> openTransactions;

		Result(String topic, int expectedCount, long recordsRead, Map<Integer, Long> committedEndOffsets,
				long missingCount, List<Long> missingSamples, long duplicateIdCount, long extraCopies,
				List<Long> duplicateIdSamples, List<String> duplicateDetails, long unexpectedCount,
				List<String> unexpectedSamples, long unparseableCount, List<String> unparseableSamples,
				long orderViolationCount, List<String> orderViolationSamples, Map<Integer, String> openTransactions) {
			this.topic = topic;
			this.expectedCount = expectedCount;
			this.recordsRead = recordsRead;
			this.committedEndOffsets = committedEndOffsets;
			this.missingCount = missingCount;
			this.missingSamples = missingSamples;
			this.duplicateIdCount = duplicateIdCount;
			this.extraCopies = extraCopies;
			this.duplicateIdSamples = duplicateIdSamples;
			this.duplicateDetails = duplicateDetails;
			this.unexpectedCount = unexpectedCount;
			this.unexpectedSamples = unexpectedSamples;
			this.unparseableCount = unparseableCount;
			this.unparseableSamples = unparseableSamples;
			this.orderViolationCount = orderViolationCount;
			this.orderViolationSamples = orderViolationSamples;
			this.openTransactions = openTransactions;
		}

		/**
		 * Whether every expected id appears exactly once, in per-key order, with nothing unexpected or unparseable
		 * and no open transaction.
		 * @return {@code true} if exactly-once holds
		 */
		public boolean isExactlyOnce() {
			return isAtLeastOnce() && this.duplicateIdCount == 0 && this.orderViolationCount == 0
					&& this.openTransactions.isEmpty();
		}

		/**
		 * Whether every expected id appears at least once, with nothing unexpected or unparseable.
		 * @return {@code true} if at-least-once holds
		 */
		public boolean isAtLeastOnce() {
			return this.missingCount == 0 && this.unexpectedCount == 0 && this.unparseableCount == 0;
		}

		/**
		 * Asserts {@link #isExactlyOnce()}.
		 * @return this
		 * @throws AssertionError with the details if it does not hold
		 */
		public Result assertExactlyOnce() {
			if (!isExactlyOnce()) {
				throw new AssertionError("Output is not exactly-once: " + this);
			}
			return this;
		}

		/**
		 * Asserts {@link #isAtLeastOnce()}.
		 * @return this
		 * @throws AssertionError with the details if it does not hold
		 */
		public Result assertAtLeastOnce() {
			if (!isAtLeastOnce()) {
				throw new AssertionError("Output is not at-least-once: " + this);
			}
			return this;
		}

		/**
		 * The verified topic.
		 * @return the topic
		 */
		public String topic() {
			return this.topic;
		}

		/**
		 * Number of expected inputs.
		 * @return the count
		 */
		public int expectedCount() {
			return this.expectedCount;
		}

		/**
		 * Number of committed records read.
		 * @return the count
		 */
		public long recordsRead() {
			return this.recordsRead;
		}

		/**
		 * The {@code read_committed} end offset of each partition.
		 * @return partition number to end offset
		 */
		public Map<Integer, Long> committedEndOffsets() {
			return this.committedEndOffsets;
		}

		/**
		 * Number of expected ids never read.
		 * @return the count
		 */
		public long missingCount() {
			return this.missingCount;
		}

		/**
		 * The smallest missing ids.
		 * @return up to 20 ids
		 */
		public List<Long> missingIds() {
			return this.missingSamples;
		}

		/**
		 * Number of distinct ids read more than once.
		 * @return the count
		 */
		public long duplicateIdCount() {
			return this.duplicateIdCount;
		}

		/**
		 * Number of surplus copies (records read minus distinct ids among parseable records).
		 * @return the count
		 */
		public long duplicateCount() {
			return this.extraCopies;
		}

		/**
		 * The smallest duplicated ids.
		 * @return up to 20 ids
		 */
		public List<Long> duplicateIds() {
			return this.duplicateIdSamples;
		}

		/**
		 * Number of ids read that were not among the expected inputs.
		 * @return the count
		 */
		public long unexpectedCount() {
			return this.unexpectedCount;
		}

		/**
		 * Number of values without a parseable id.
		 * @return the count
		 */
		public long unparseableCount() {
			return this.unparseableCount;
		}

		/**
		 * Number of per-key order violations.
		 * @return the count
		 */
		public long orderViolationCount() {
			return this.orderViolationCount;
		}

		/**
		 * Descriptions of the first per-key order violations.
		 * @return up to 20 descriptions
		 */
		public List<String> orderViolations() {
			return this.orderViolationSamples;
		}

		/**
		 * Partitions whose {@code read_committed} end offset is below the high watermark: an open transaction.
		 * @return partition number to description; empty if none
		 */
		public Map<Integer, String> openTransactions() {
			return this.openTransactions;
		}

		@Override
		public String toString() {
			StringBuilder text = new StringBuilder();
			text.append("topic ").append(this.topic).append(": expected ").append(this.expectedCount)
				.append(" ids, read ").append(this.recordsRead).append(" committed records from ")
				.append(this.committedEndOffsets.size()).append(" partitions (read_committed end offsets ")
				.append(this.committedEndOffsets).append(")");
			line(text, "missing ids", this.missingCount, this.missingSamples);
			text.append("\n  duplicate ids: ").append(this.duplicateIdCount).append(" (").append(this.extraCopies)
				.append(" extra copies)");
			if (!this.duplicateDetails.isEmpty()) {
				text.append(", e.g. ").append(String.join("; ", this.duplicateDetails));
			}
			line(text, "unexpected ids", this.unexpectedCount, this.unexpectedSamples);
			line(text, "unparseable values", this.unparseableCount, this.unparseableSamples);
			line(text, "per-key order violations", this.orderViolationCount, this.orderViolationSamples);
			text.append("\n  open transactions: ");
			if (this.openTransactions.isEmpty()) {
				text.append("none");
			}
			else {
				text.append(this.openTransactions.size()).append(" partitions, ")
					.append(this.openTransactions.entrySet().stream().map(e -> "p" + e.getKey() + ": " + e.getValue())
						.collect(Collectors.joining("; ")));
			}
			text.append("\n  => exactly-once: ").append(isExactlyOnce() ? "OK" : "VIOLATED")
				.append(", at-least-once: ").append(isAtLeastOnce() ? "OK" : "VIOLATED");
			return text.toString();
		}

		private static void line(StringBuilder text, String label, long count, List<?> samples) {
			text.append("\n  ").append(label).append(": ").append(count);
			if (count > 0 && !samples.isEmpty()) {
				text.append(", e.g. ").append(samples);
			}
		}

	}

}
