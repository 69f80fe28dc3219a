package dev.kafkastream.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.source.DeserializationErrorPolicy;
import dev.kafkastream.source.HandlerErrorPolicy;
import dev.kafkastream.source.OffsetResetStrategy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration properties of kafka-stream: the sources, sinks and checkpointing of the
 * application's pipelines.
 */
@ConfigurationProperties(prefix = "kafka-stream", ignoreUnknownFields = false)
public class KafkaStreamProperties {

	/**
	 * Whether to run the kafka-stream pipelines.
	 */
	private boolean enabled = true;

	/**
	 * Whether to start the pipelines when the application context starts.
	 */
	private boolean autoStartup = true;

	/**
	 * Whether the workers connect and join their groups while the rest of the application
	 * context is created, once the handler beans exist. They process nothing and commit
	 * nothing before the context is ready and the start-up checks passed.
	 */
	private boolean joinDuringStartup = true;

	/**
	 * Kafka bootstrap servers (host:port pairs). Falls back to Spring Boot's Kafka
	 * connection details, such as 'spring.kafka.bootstrap-servers'.
	 */
	private List<String> bootstrapServers = new ArrayList<>();

	/**
	 * Id of this application instance, part of every transactional id and group instance
	 * id. It must be the same at every start of the instance and differ between instances.
	 * Defaults to the host name.
	 */
	private @Nullable String instanceId;

	/**
	 * Whether consumers join their groups as static members, with a group.instance.id
	 * made of the instance id, the source and the worker, so that an instance restarted
	 * with the same instance id takes its partitions back at once.
	 */
	private boolean staticMembership = true;

	/**
	 * Whether static members leave their groups when the application stops, so that their
	 * partitions move to the other instances at once. Without, the partitions wait for a
	 * restart with the same instance id, at most session.timeout.ms.
	 */
	private boolean leaveGroupOnShutdown = true;

	/**
	 * Additional Kafka client properties applied to every consumer and producer.
	 */
	private final Map<String, String> properties = new HashMap<>();

	/**
	 * Time the whole stop may take when the application shuts down: the final checkpoint,
	 * the workers' stop and the sinks' close share one deadline.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	/**
	 * Whether to exit the application with status 0 once every source is bounded and
	 * finished: a batch run.
	 */
	private boolean exitWhenFinished;

	/**
	 * What the application does once a source failed: keep running (liveness reports
	 * a failure a restart cures), or stop and exit with a non-zero status.
	 */
	private PipelineFailureAction onPipelineFailure = PipelineFailureAction.KEEP_RUNNING;

	private final Checkpoint checkpoint = new Checkpoint();

	/**
	 * Security of every client kafka-stream creates.
	 */
	@NestedConfigurationProperty
	private final KafkaStreamSecurityProperties security = new KafkaStreamSecurityProperties();

	private final Recovery recovery = new Recovery();

	private final Lag lag = new Lag();

	private final Observation observation = new Observation();

	private final Metrics metrics = new Metrics();

	private final Logging logging = new Logging();

	/**
	 * Sources, by name.
	 */
	private final Map<String, Source> sources = new LinkedHashMap<>();

	/**
	 * Sinks, by name.
	 */
	private final Map<String, Sink> sinks = new LinkedHashMap<>();

	/**
	 * What to do when the start-up checks against the brokers (topics, transaction
	 * timeout, authorization) find a problem: fail the start, log a warning, or skip the
	 * checks.
	 */
	private StartupValidation validateOnStartup = StartupValidation.FAIL;

	/**
	 * Time to wait for the brokers to answer the start-up checks; when they do not, the
	 * checks are skipped with a warning.
	 */
	private Duration validationTimeout = Duration.ofSeconds(10);

	/**
	 * Settings of the development broker, read by the kafka-stream-spring-boot-dev-broker
	 * module. Accepted and ignored here, so that an application packaged without that
	 * module still starts.
	 */
	private final Map<String, Object> devBroker = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	public boolean isJoinDuringStartup() {
		return this.joinDuringStartup;
	}

	public void setJoinDuringStartup(boolean joinDuringStartup) {
		this.joinDuringStartup = joinDuringStartup;
	}

	public List<String> getBootstrapServers() {
		return this.bootstrapServers;
	}

	public void setBootstrapServers(List<String> bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	public @Nullable String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(@Nullable String instanceId) {
		this.instanceId = instanceId;
	}

	public boolean isStaticMembership() {
		return this.staticMembership;
	}

	public void setStaticMembership(boolean staticMembership) {
		this.staticMembership = staticMembership;
	}

	public boolean isLeaveGroupOnShutdown() {
		return this.leaveGroupOnShutdown;
	}

	public void setLeaveGroupOnShutdown(boolean leaveGroupOnShutdown) {
		this.leaveGroupOnShutdown = leaveGroupOnShutdown;
	}

	public Map<String, String> getProperties() {
		return this.properties;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public boolean isExitWhenFinished() {
		return this.exitWhenFinished;
	}

	public void setExitWhenFinished(boolean exitWhenFinished) {
		this.exitWhenFinished = exitWhenFinished;
	}

	public PipelineFailureAction getOnPipelineFailure() {
		return this.onPipelineFailure;
	}

	public void setOnPipelineFailure(PipelineFailureAction onPipelineFailure) {
		this.onPipelineFailure = onPipelineFailure;
	}

	public Checkpoint getCheckpoint() {
		return this.checkpoint;
	}

	public KafkaStreamSecurityProperties getSecurity() {
		return this.security;
	}

	public Recovery getRecovery() {
		return this.recovery;
	}

	public Lag getLag() {
		return this.lag;
	}

	public Observation getObservation() {
		return this.observation;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Logging getLogging() {
		return this.logging;
	}

	public Map<String, Source> getSources() {
		return this.sources;
	}

	public Map<String, Sink> getSinks() {
		return this.sinks;
	}

	public StartupValidation getValidateOnStartup() {
		return this.validateOnStartup;
	}

	public void setValidateOnStartup(StartupValidation validateOnStartup) {
		this.validateOnStartup = validateOnStartup;
	}

	public Duration getValidationTimeout() {
		return this.validationTimeout;
	}

	public void setValidationTimeout(Duration validationTimeout) {
		this.validationTimeout = validationTimeout;
	}

	public Map<String, Object> getDevBroker() {
		return this.devBroker;
	}

	/**
	 * Checkpointing: offsets are committed, and exactly-once output made visible, when a
	 * checkpoint completes.
	 */
	public static class Checkpoint {

		/**
		 * Time between two checkpoints.
		 */
		private Duration interval = Duration.ofSeconds(1);

		/**
		 * Time after which a checkpoint that is not complete fails. Keep interval plus
		 * timeout below the sinks' transaction timeout.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		/**
		 * Minimum time between the end of a checkpoint and the start of the next.
		 */
		private Duration minPause = Duration.ZERO;

		/**
		 * Number of recent checkpoints kept for inspection.
		 */
		private int historySize = 10;

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getMinPause() {
			return this.minPause;
		}

		public void setMinPause(Duration minPause) {
			this.minPause = minPause;
		}

		public int getHistorySize() {
			return this.historySize;
		}

		public void setHistorySize(int historySize) {
			this.historySize = historySize;
		}

	}

	/**
	 * Recovery from failures: a worker rolls back to its last checkpoint, backs off and
	 * retries.
	 */
	public static class Recovery {

		/**
		 * Time to wait after the first failure; doubled after each further failure.
		 */
		private Duration initialBackoff = Duration.ofMillis(500);

		/**
		 * Longest time to wait between two attempts.
		 */
		private Duration maxBackoff = Duration.ofSeconds(30);

		/**
		 * Number of failures in a row, without a checkpoint that moved forward, after which
		 * the pipeline fails.
		 */
		private int maxAttempts = 10;

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

	}

	/**
	 * Lag: the end offsets of the partitions are looked up in the background, so that
	 * reading lag (endpoint, health, metrics) never waits on the broker.
	 */
	public static class Lag {

		/**
		 * Time between two lookups of the end offsets of the partitions this instance
		 * reads; 0 to never look them up (no lag is reported then).
		 */
		private Duration refreshInterval = Duration.ofSeconds(5);

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

	}

	/**
	 * Logging, read from the environment before the log levels are applied.
	 */
	public static class Logging {

		/**
		 * Whether to log the Kafka clients' own lines ('org.apache.kafka') at WARN and above
		 * unless 'logging.level.org.apache.kafka' says otherwise.
		 */
		private boolean quietKafka = true;

		public boolean isQuietKafka() {
			return this.quietKafka;
		}

		public void setQuietKafka(boolean quietKafka) {
			this.quietKafka = quietKafka;
		}

	}

	/**
	 * Micrometer Observation of handler calls.
	 */
	public static class Observation {

		/**
		 * Whether to observe each handler call with Micrometer Observation: with tracing,
		 * a span that continues the input record's trace and whose context the records
		 * written for the call carry. Needs an ObservationRegistry bean; each source can
		 * override it with 'observation-enabled'.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Micrometer metrics, when the application has a MeterRegistry (Spring Boot
	 * Actuator).
	 */
	public static class Metrics {

		/**
		 * Whether to publish the pipelines' metrics (kafka.stream.*).
		 */
		private boolean enabled = true;

		/**
		 * Whether to publish the Kafka client metrics of every consumer and producer the
		 * pipelines create (kafka.consumer.*, kafka.producer.*), as Flink's
		 * register.consumer.metrics does.
		 */
		private boolean clientMetrics = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isClientMetrics() {
			return this.clientMetrics;
		}

		public void setClientMetrics(boolean clientMetrics) {
			this.clientMetrics = clientMetrics;
		}

	}

	/**
	 * What the application does once a source failed.
	 */
	public enum PipelineFailureAction {

		/**
		 * Keep the application running: health is {@code DOWN}, readiness
		 * {@code OUT_OF_SERVICE}, and liveness {@code DOWN} (Spring Boot's liveness state
		 * {@code BROKEN}) when a restart cures the failure.
		 */
		KEEP_RUNNING,

		/**
		 * Close the application, the other pipelines with their final checkpoint, and exit
		 * with a non-zero status.
		 */
		STOP_APPLICATION

	}

	/**
	 * Where a source starts reading a partition that has no checkpoint yet.
	 */
	public enum StartingOffsets {

		/**
		 * The earliest offset of the partition.
		 */
		EARLIEST,

		/**
		 * The latest offset of the partition: only records written after the start.
		 */
		LATEST,

		/**
		 * As 'offset-reset-strategy' says: every partition resumes from the group's
		 * committed offset, this only decides partitions without one, and 'none' fails.
		 */
		COMMITTED,

		/**
		 * The first record at or after 'starting-timestamp'; the end for partitions whose
		 * records are all older.
		 */
		TIMESTAMP,

		/**
		 * The offsets in 'specific-offsets'; partitions not listed start as
		 * 'offset-reset-strategy' says.
		 */
		SPECIFIC

	}

	/**
	 * Where a source stops reading each partition.
	 */
	public enum StoppingOffsets {

		/**
		 * Never: the source reads on.
		 */
		NONE,

		/**
		 * The end offsets found at start.
		 */
		LATEST,

		/**
		 * The first record at or after 'stopping-timestamp'.
		 */
		TIMESTAMP,

		/**
		 * The offsets in 'stopping-specific-offsets'; nothing is read of partitions not
		 * listed.
		 */
		SPECIFIC

	}

	/**
	 * The isolation level of source consumers.
	 */
	public enum IsolationLevel {

		/**
		 * Read only records of committed transactions.
		 */
		READ_COMMITTED,

		/**
		 * Read every record, including those of aborted and open transactions.
		 */
		READ_UNCOMMITTED

	}

	/**
	 * A Kafka source.
	 */
	public static class Source {

		/**
		 * Topics to subscribe to. Exactly one of 'topics', 'topic-pattern' and
		 * 'partitions' is required.
		 */
		private List<String> topics = new ArrayList<>();

		/**
		 * Regular expression of the topics to subscribe to, including topics created
		 * later; a list such as 'a|b|c' works too.
		 */
		private @Nullable String topicPattern;

		/**
		 * Explicit partitions to read, by topic, without consumer group rebalancing.
		 */
		private final Map<String, List<Integer>> partitions = new LinkedHashMap<>();

		/**
		 * Consumer group id; committed offsets of this group are the source's checkpoint.
		 * Defaults to 'spring.application.name'.
		 */
		private @Nullable String groupId;

		/**
		 * Where to start reading partitions without a checkpoint. Partitions with one
		 * always resume from it.
		 */
		private StartingOffsets startingOffsets = StartingOffsets.EARLIEST;

		/**
		 * Where partitions without a committed offset start when 'starting-offsets' is
		 * 'committed', or when they are not listed in 'specific-offsets'.
		 */
		private OffsetResetStrategy offsetResetStrategy = OffsetResetStrategy.EARLIEST;

		/**
		 * Timestamp to start at when 'starting-offsets' is 'timestamp': epoch
		 * milliseconds, an ISO-8601 instant, or 'yyyy-MM-dd HH:mm:ss' in 'time-zone'.
		 */
		private @Nullable String startingTimestamp;

		/**
		 * Offsets to start at when 'starting-offsets' is 'specific', by topic and
		 * partition.
		 */
		private final Map<String, Map<Integer, Long>> specificOffsets = new LinkedHashMap<>();

		/**
		 * Where the source stops reading each partition.
		 */
		private StoppingOffsets stoppingOffsets = StoppingOffsets.NONE;

		/**
		 * Timestamp to stop at when 'stopping-offsets' is 'timestamp', in the forms of
		 * 'starting-timestamp'.
		 */
		private @Nullable String stoppingTimestamp;

		/**
		 * Offsets to stop at when 'stopping-offsets' is 'specific', by topic and
		 * partition.
		 */
		private final Map<String, Map<Integer, Long>> stoppingSpecificOffsets = new LinkedHashMap<>();

		/**
		 * Whether a source with stopping offsets finishes once every partition reached
		 * its stop. Otherwise it stops reading each partition there but keeps running.
		 */
		private boolean bounded = true;

		/**
		 * Time zone of timestamps given as 'yyyy-MM-dd HH:mm:ss'. Defaults to the JVM's
		 * time zone.
		 */
		private @Nullable String timeZone;

		/**
		 * Interval at which the consumers refresh their metadata and so discover new
		 * partitions of subscribed topics and new topics matching 'topic-pattern'.
		 * Partitions found after start are read from their earliest offset. Defaults to
		 * the Kafka client's metadata refresh (5 minutes).
		 */
		private @Nullable Duration partitionDiscoveryInterval;

		/**
		 * What to do with a record that cannot be deserialised.
		 */
		private DeserializationErrorPolicy onDeserializationError = DeserializationErrorPolicy.FAIL;

		/**
		 * What to do with a record the handler still throws on after
		 * 'handler-max-attempts' calls: 'fail' rolls back to the last checkpoint and
		 * retries as 'kafka-stream.recovery' says, 'skip' counts and logs it,
		 * 'dead-letter' writes it to 'dead-letter-topic'.
		 */
		private HandlerErrorPolicy onHandlerError = HandlerErrorPolicy.FAIL;

		/**
		 * Number of times the handler is called on a record that it throws on, the first
		 * call included, before 'on-handler-error' applies. The retries happen in place,
		 * without rolling back the open transaction.
		 */
		private int handlerMaxAttempts = 3;

		/**
		 * Time to wait before the first retry of a record the handler threw on; doubled
		 * before each further retry.
		 */
		private Duration handlerBackoff = Duration.ofMillis(100);

		/**
		 * Longest time to wait before a retry of a record the handler threw on. The worker
		 * keeps polling and taking checkpoints while it waits.
		 */
		private Duration handlerMaxBackoff = Duration.ofSeconds(1);

		/**
		 * Topic for records that cannot be deserialised, with 'on-deserialization-error'
		 * 'dead-letter', and for records the handler fails on, with 'on-handler-error'
		 * 'dead-letter'. Defaults to '<topic>.DLT'.
		 */
		private @Nullable String deadLetterTopic;

		/**
		 * Prefix of the client ids of the source's consumers. Defaults to
		 * 'kafka-stream-<instance-id>'.
		 */
		private @Nullable String clientIdPrefix;

		/**
		 * Whether checkpoints commit the consumed offsets to the consumer group. Without,
		 * every start reads from 'starting-offsets'; not possible with an exactly-once
		 * sink.
		 */
		private boolean commitOffsetsOnCheckpoint = true;

		/**
		 * Isolation level of the source's consumers.
		 */
		private IsolationLevel isolationLevel = IsolationLevel.READ_COMMITTED;

		/**
		 * Deserializer of record keys, instead of 'key-format': the name of a Deserializer
		 * bean or of a Deserializer class.
		 */
		private @Nullable String keyDeserializer;

		/**
		 * Deserializer of record values, instead of 'value-format': the name of a
		 * Deserializer bean or of a Deserializer class.
		 */
		private @Nullable String valueDeserializer;

		/**
		 * Number of workers, each a thread with its own consumer, sharing the source's
		 * partitions.
		 */
		private int concurrency = 1;

		/**
		 * Format of record keys. Defaults to the key type of the handler's ConsumerRecord
		 * parameter, or bytes.
		 */
		private @Nullable Format keyFormat;

		/**
		 * Format of record values. Defaults to the format that suits the handler's
		 * parameter type: string, bytes, a number type, or json.
		 */
		private @Nullable Format valueFormat;

		/**
		 * Longest time a worker waits for records in one poll.
		 */
		private Duration pollTimeout = Duration.ofMillis(100);

		/**
		 * Whether to observe the handler calls of this source with Micrometer Observation.
		 * Defaults to 'kafka-stream.observation.enabled'.
		 */
		private @Nullable Boolean observationEnabled;

		/**
		 * Additional consumer properties. 'key.deserializer', 'value.deserializer',
		 * 'enable.auto.commit' and 'auto.offset.reset' are owned by the source.
		 */
		private final Map<String, String> properties = new HashMap<>();

		/**
		 * Security of this source's clients, overriding 'kafka-stream.security'.
		 */
		@NestedConfigurationProperty
		private final KafkaStreamSecurityProperties security = new KafkaStreamSecurityProperties();

		public List<String> getTopics() {
			return this.topics;
		}

		public void setTopics(List<String> topics) {
			this.topics = topics;
		}

		public @Nullable String getGroupId() {
			return this.groupId;
		}

		public void setGroupId(@Nullable String groupId) {
			this.groupId = groupId;
		}

		public StartingOffsets getStartingOffsets() {
			return this.startingOffsets;
		}

		public void setStartingOffsets(StartingOffsets startingOffsets) {
			this.startingOffsets = startingOffsets;
		}

		public @Nullable String getTopicPattern() {
			return this.topicPattern;
		}

		public void setTopicPattern(@Nullable String topicPattern) {
			this.topicPattern = topicPattern;
		}

		public OffsetResetStrategy getOffsetResetStrategy() {
			return this.offsetResetStrategy;
		}

		public void setOffsetResetStrategy(OffsetResetStrategy offsetResetStrategy) {
			this.offsetResetStrategy = offsetResetStrategy;
		}

		public @Nullable String getStartingTimestamp() {
			return this.startingTimestamp;
		}

		public void setStartingTimestamp(@Nullable String startingTimestamp) {
			this.startingTimestamp = startingTimestamp;
		}

		public StoppingOffsets getStoppingOffsets() {
			return this.stoppingOffsets;
		}

		public void setStoppingOffsets(StoppingOffsets stoppingOffsets) {
			this.stoppingOffsets = stoppingOffsets;
		}

		public @Nullable String getStoppingTimestamp() {
			return this.stoppingTimestamp;
		}

		public void setStoppingTimestamp(@Nullable String stoppingTimestamp) {
			this.stoppingTimestamp = stoppingTimestamp;
		}

		public boolean isBounded() {
			return this.bounded;
		}

		public void setBounded(boolean bounded) {
			this.bounded = bounded;
		}

		public @Nullable String getTimeZone() {
			return this.timeZone;
		}

		public void setTimeZone(@Nullable String timeZone) {
			this.timeZone = timeZone;
		}

		public @Nullable Duration getPartitionDiscoveryInterval() {
			return this.partitionDiscoveryInterval;
		}

		public void setPartitionDiscoveryInterval(@Nullable Duration partitionDiscoveryInterval) {
			this.partitionDiscoveryInterval = partitionDiscoveryInterval;
		}

		public DeserializationErrorPolicy getOnDeserializationError() {
			return this.onDeserializationError;
		}

		public void setOnDeserializationError(DeserializationErrorPolicy onDeserializationError) {
			this.onDeserializationError = onDeserializationError;
		}

		public HandlerErrorPolicy getOnHandlerError() {
			return this.onHandlerError;
		}

		public void setOnHandlerError(HandlerErrorPolicy onHandlerError) {
			this.onHandlerError = onHandlerError;
		}

		public int getHandlerMaxAttempts() {
			return this.handlerMaxAttempts;
		}

		public void setHandlerMaxAttempts(int handlerMaxAttempts) {
			this.handlerMaxAttempts = handlerMaxAttempts;
		}

		public Duration getHandlerBackoff() {
			return this.handlerBackoff;
		}

		public void setHandlerBackoff(Duration handlerBackoff) {
			this.handlerBackoff = handlerBackoff;
		}

		public Duration getHandlerMaxBackoff() {
			return this.handlerMaxBackoff;
		}

		public void setHandlerMaxBackoff(Duration handlerMaxBackoff) {
			this.handlerMaxBackoff = handlerMaxBackoff;
		}

		public @Nullable String getDeadLetterTopic() {
			return this.deadLetterTopic;
		}

		public void setDeadLetterTopic(@Nullable String deadLetterTopic) {
			this.deadLetterTopic = deadLetterTopic;
		}

		public @Nullable String getClientIdPrefix() {
			return this.clientIdPrefix;
		}

		public void setClientIdPrefix(@Nullable String clientIdPrefix) {
			this.clientIdPrefix = clientIdPrefix;
		}

		public boolean isCommitOffsetsOnCheckpoint() {
			return this.commitOffsetsOnCheckpoint;
		}

		public void setCommitOffsetsOnCheckpoint(boolean commitOffsetsOnCheckpoint) {
			this.commitOffsetsOnCheckpoint = commitOffsetsOnCheckpoint;
		}

		public IsolationLevel getIsolationLevel() {
			return this.isolationLevel;
		}

		public void setIsolationLevel(IsolationLevel isolationLevel) {
			this.isolationLevel = isolationLevel;
		}

		public @Nullable String getKeyDeserializer() {
			return this.keyDeserializer;
		}

		public void setKeyDeserializer(@Nullable String keyDeserializer) {
			this.keyDeserializer = keyDeserializer;
		}

		public @Nullable String getValueDeserializer() {
			return this.valueDeserializer;
		}

		public void setValueDeserializer(@Nullable String valueDeserializer) {
			this.valueDeserializer = valueDeserializer;
		}

		public Map<String, List<Integer>> getPartitions() {
			return this.partitions;
		}

		public Map<String, Map<Integer, Long>> getSpecificOffsets() {
			return this.specificOffsets;
		}

		public Map<String, Map<Integer, Long>> getStoppingSpecificOffsets() {
			return this.stoppingSpecificOffsets;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public @Nullable Format getKeyFormat() {
			return this.keyFormat;
		}

		public void setKeyFormat(@Nullable Format keyFormat) {
			this.keyFormat = keyFormat;
		}

		public @Nullable Format getValueFormat() {
			return this.valueFormat;
		}

		public void setValueFormat(@Nullable Format valueFormat) {
			this.valueFormat = valueFormat;
		}

		public Duration getPollTimeout() {
			return this.pollTimeout;
		}

		public void setPollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

		public @Nullable Boolean getObservationEnabled() {
			return this.observationEnabled;
		}

		public void setObservationEnabled(@Nullable Boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

		public Map<String, String> getProperties() {
			return this.properties;
		}

		public KafkaStreamSecurityProperties getSecurity() {
			return this.security;
		}

	}

	/**
	 * A Kafka sink.
	 */
	public static class Sink {

		/**
		 * Topic to write to. With a topic selector, the topic of records it chooses none
		 * for.
		 */
		private @Nullable String topic;

		/**
		 * Name of a bean (or class) implementing dev.kafkastream.sink.TopicSelector that
		 * chooses the topic of each record.
		 */
		private @Nullable String topicSelector;

		/**
		 * Delivery guarantee: none, at-least-once or exactly-once.
		 */
		private DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.AT_LEAST_ONCE;

		/**
		 * Prefix of the transactional ids of the sink's producers, unique per application.
		 * Required for exactly-once.
		 */
		private @Nullable String transactionalIdPrefix;

		/**
		 * Transaction timeout of exactly-once producers. Defaults to the Kafka client's
		 * default (1 minute).
		 */
		private @Nullable Duration transactionTimeout;

		/**
		 * Format of the keys a handler sets in an OutputRecord; other records keep the
		 * input record's key bytes. Defaults to the format that suits the OutputRecord's
		 * key type, or, when that is not declared, to the key's class at run time.
		 */
		private @Nullable Format keyFormat;

		/**
		 * Name of a bean or class implementing Kafka's Serializer, for the keys a handler
		 * sets. Instead of 'key-format'.
		 */
		private @Nullable String keySerializer;

		/**
		 * Format of record values. Defaults to the format that suits the handler's return
		 * type: string, bytes, a number type, or json.
		 */
		private @Nullable Format valueFormat;

		/**
		 * Name of a bean or class implementing Kafka's Serializer, for record values.
		 * Instead of 'value-format'.
		 */
		private @Nullable String valueSerializer;

		/**
		 * Partitioner: 'default' (the producer's), 'fixed' (each worker writes to one
		 * partition), 'round-robin', or the name of a bean (or class) implementing
		 * dev.kafkastream.sink.SinkPartitioner.
		 */
		private String partitioner = "default";

		/**
		 * Whether output records carry the input record's timestamp. When false, the
		 * producer stamps them.
		 */
		private boolean writeTimestamp = true;

		/**
		 * Whether output records carry the input record's headers.
		 */
		private boolean copyHeaders;

		/**
		 * Additional producer properties. 'key.serializer', 'value.serializer' and
		 * 'transactional.id' are owned by the sink.
		 */
		private final Map<String, String> properties = new HashMap<>();

		/**
		 * Security of this sink's clients, overriding 'kafka-stream.security'.
		 */
		@NestedConfigurationProperty
		private final KafkaStreamSecurityProperties security = new KafkaStreamSecurityProperties();

		public @Nullable String getTopic() {
			return this.topic;
		}

		public void setTopic(@Nullable String topic) {
			this.topic = topic;
		}

		public @Nullable String getTopicSelector() {
			return this.topicSelector;
		}

		public void setTopicSelector(@Nullable String topicSelector) {
			this.topicSelector = topicSelector;
		}

		public DeliveryGuarantee getDeliveryGuarantee() {
			return this.deliveryGuarantee;
		}

		public void setDeliveryGuarantee(DeliveryGuarantee deliveryGuarantee) {
			this.deliveryGuarantee = deliveryGuarantee;
		}

		public @Nullable String getTransactionalIdPrefix() {
			return this.transactionalIdPrefix;
		}

		public void setTransactionalIdPrefix(@Nullable String transactionalIdPrefix) {
			this.transactionalIdPrefix = transactionalIdPrefix;
		}

		public @Nullable Duration getTransactionTimeout() {
			return this.transactionTimeout;
		}

		public void setTransactionTimeout(@Nullable Duration transactionTimeout) {
			this.transactionTimeout = transactionTimeout;
		}

		public @Nullable Format getKeyFormat() {
			return this.keyFormat;
		}

		public void setKeyFormat(@Nullable Format keyFormat) {
			this.keyFormat = keyFormat;
		}

		public @Nullable String getKeySerializer() {
			return this.keySerializer;
		}

		public void setKeySerializer(@Nullable String keySerializer) {
			this.keySerializer = keySerializer;
		}

		public @Nullable Format getValueFormat() {
			return this.valueFormat;
		}

		public void setValueFormat(@Nullable Format valueFormat) {
			this.valueFormat = valueFormat;
		}

		public @Nullable String getValueSerializer() {
			return this.valueSerializer;
		}

		public void setValueSerializer(@Nullable String valueSerializer) {
			this.valueSerializer = valueSerializer;
		}

		public String getPartitioner() {
			return this.partitioner;
		}

		public void setPartitioner(String partitioner) {
			this.partitioner = partitioner;
		}

		public boolean isWriteTimestamp() {
			return this.writeTimestamp;
		}

		public void setWriteTimestamp(boolean writeTimestamp) {
			this.writeTimestamp = writeTimestamp;
		}

		public boolean isCopyHeaders() {
			return this.copyHeaders;
		}

		public void setCopyHeaders(boolean copyHeaders) {
			this.copyHeaders = copyHeaders;
		}

		public Map<String, String> getProperties() {
			return this.properties;
		}

		public KafkaStreamSecurityProperties getSecurity() {
			return this.security;
		}

	}

}
