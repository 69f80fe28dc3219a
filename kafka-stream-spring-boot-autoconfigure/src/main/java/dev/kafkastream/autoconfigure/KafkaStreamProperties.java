package dev.kafkastream.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kafkastream.core.DeliveryGuarantee;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of kafka-stream: the sources, sinks and checkpointing of the
 * application's pipelines.
 */
@ConfigurationProperties("kafka-stream")
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
	 * Kafka bootstrap servers (host:port pairs). Falls back to Spring Boot's Kafka
	 * connection details, such as 'spring.kafka.bootstrap-servers'.
	 */
	private List<String> bootstrapServers = new ArrayList<>();

	/**
	 * Id of this application instance, part of every transactional id. It must be the same
	 * at every start of the instance and differ between instances. Defaults to the host
	 * name.
	 */
	private @Nullable String instanceId;

	/**
	 * Additional Kafka client properties applied to every consumer and producer.
	 */
	private final Map<String, String> properties = new HashMap<>();

	/**
	 * Time to wait for the final checkpoint and for the workers to stop when the
	 * application shuts down.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	private final Checkpoint checkpoint = new Checkpoint();

	private final Recovery recovery = new Recovery();

	/**
	 * Sources, by name.
	 */
	private final Map<String, Source> sources = new LinkedHashMap<>();

	/**
	 * Sinks, by name.
	 */
	private final Map<String, Sink> sinks = new LinkedHashMap<>();

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

	public Map<String, String> getProperties() {
		return this.properties;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Checkpoint getCheckpoint() {
		return this.checkpoint;
	}

	public Recovery getRecovery() {
		return this.recovery;
	}

	public Map<String, Source> getSources() {
		return this.sources;
	}

	public Map<String, Sink> getSinks() {
		return this.sinks;
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
		LATEST

	}

	/**
	 * A Kafka source.
	 */
	public static class Source {

		/**
		 * Topics to subscribe to.
		 */
		private List<String> topics = new ArrayList<>();

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
		 * Additional consumer properties. 'key.deserializer', 'value.deserializer',
		 * 'enable.auto.commit' and 'auto.offset.reset' are owned by the source.
		 */
		private final Map<String, String> properties = new HashMap<>();

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

		public Map<String, String> getProperties() {
			return this.properties;
		}

	}

	/**
	 * A Kafka sink.
	 */
	public static class Sink {

		/**
		 * Topic to write to.
		 */
		private @Nullable String topic;

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
		 * Format of record values. Defaults to the format that suits the handler's return
		 * type: string, bytes, a number type, or json.
		 */
		private @Nullable Format valueFormat;

		/**
		 * Additional producer properties. 'key.serializer', 'value.serializer' and
		 * 'transactional.id' are owned by the sink.
		 */
		private final Map<String, String> properties = new HashMap<>();

		public @Nullable String getTopic() {
			return this.topic;
		}

		public void setTopic(@Nullable String topic) {
			this.topic = topic;
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

		public @Nullable Format getValueFormat() {
			return this.valueFormat;
		}

		public void setValueFormat(@Nullable Format valueFormat) {
			this.valueFormat = valueFormat;
		}

		public Map<String, String> getProperties() {
			return this.properties;
		}

	}

}
