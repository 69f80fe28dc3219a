package dev.kafkastream.sink;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.kafkastream.core.DeliveryGuarantee;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Immutable description of a Kafka sink: its topic or topic selector, serialisers,
 * partitioner, timestamps, headers and delivery guarantee. Build one with
 * {@link #builder()}.
 */
public final class KafkaSinkSpec {

	/**
	 * Kafka's default {@code transaction.timeout.ms}.
	 */
	public static final Duration KAFKA_DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(1);

	private final String name;

	private final @Nullable String topic;

	private final @Nullable TopicSelector topicSelector;

	private final @Nullable SinkPartitioner partitioner;

	private final boolean writeTimestamp;

	private final boolean copyHeaders;

	private final DeliveryGuarantee deliveryGuarantee;

	private final @Nullable String transactionalIdPrefix;

	private final @Nullable Duration transactionTimeout;

	private final Map<String, Object> producerProperties;

	private final Map<String, Object> adminProperties;

	private final Serializer<Object> keySerializer;

	private final Serializer<Object> valueSerializer;

	private KafkaSinkSpec(Builder builder) {
		if (builder.name == null || builder.name.isBlank()) {
			throw new IllegalArgumentException("A sink needs a name");
		}
		this.name = builder.name;
		if ((builder.topic == null || builder.topic.isBlank()) && builder.topicSelector == null) {
			throw new IllegalArgumentException("Sink '" + this.name + "' needs a topic or a topic selector");
		}
		this.topic = (builder.topic == null || builder.topic.isBlank()) ? null : builder.topic;
		this.topicSelector = builder.topicSelector;
		this.partitioner = builder.partitioner;
		this.writeTimestamp = builder.writeTimestamp;
		this.copyHeaders = builder.copyHeaders;
		this.deliveryGuarantee = builder.deliveryGuarantee;
		if (this.deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE
				&& (builder.transactionalIdPrefix == null || builder.transactionalIdPrefix.isBlank())) {
			throw new IllegalArgumentException(
					"Sink '" + this.name + "' is exactly-once and needs a transactional id prefix");
		}
		this.transactionalIdPrefix = builder.transactionalIdPrefix;
		this.transactionTimeout = builder.transactionTimeout;
		this.producerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(builder.producerProperties));
		this.adminProperties = Collections.unmodifiableMap(new LinkedHashMap<>(
				(builder.adminProperties != null) ? builder.adminProperties : builder.producerProperties));
		this.keySerializer = builder.keySerializer;
		this.valueSerializer = builder.valueSerializer;
	}

	public static Builder builder() {
		return new Builder();
	}

	public String name() {
		return this.name;
	}

	/**
	 * The topic records are written to, unless a topic selector or the record chooses
	 * another.
	 * @return the topic, or {@code null} when a topic selector chooses every topic
	 */
	public @Nullable String topic() {
		return this.topic;
	}

	/**
	 * What chooses the topic of each record.
	 * @return the topic selector, or {@code null} to write to {@link #topic()}
	 */
	public @Nullable TopicSelector topicSelector() {
		return this.topicSelector;
	}

	/**
	 * What chooses the partition of each record.
	 * @return the partitioner, or {@code null} to leave it to the producer's partitioner
	 */
	public @Nullable SinkPartitioner partitioner() {
		return this.partitioner;
	}

	/**
	 * Whether output records carry the timestamp of the input record; if not, the producer
	 * stamps them (or the broker, for a topic with {@code LogAppendTime}).
	 * @return whether the input timestamp is written
	 */
	public boolean writeTimestamp() {
		return this.writeTimestamp;
	}

	/**
	 * The transaction timeout a producer configuration sets, or Kafka's default.
	 * @param producerConfig the producer configuration
	 * @return the timeout
	 */
	public static Duration transactionTimeoutOf(Map<String, ?> producerConfig) {
		Object configured = producerConfig.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
		return (configured != null) ? Duration.ofMillis(Long.parseLong(configured.toString().trim()))
				: KAFKA_DEFAULT_TRANSACTION_TIMEOUT;
	}

	/**
	 * Whether output records carry the headers of the input record.
	 * @return whether input headers are copied
	 */
	public boolean copyHeaders() {
		return this.copyHeaders;
	}

	public DeliveryGuarantee deliveryGuarantee() {
		return this.deliveryGuarantee;
	}

	public @Nullable String transactionalIdPrefix() {
		return this.transactionalIdPrefix;
	}

	public @Nullable Duration transactionTimeout() {
		return this.transactionTimeout;
	}

	public Map<String, Object> producerProperties() {
		return this.producerProperties;
	}

	/**
	 * The properties of the admin clients that look after the sink's transactions: the same cluster and
	 * security as the producers. Properties the admin client does not know are left out
	 * when it is created.
	 * @return the properties
	 */
	public Map<String, Object> adminProperties() {
		return this.adminProperties;
	}

	/**
	 * The serialiser of the keys a handler sets in an
	 * {@link dev.kafkastream.core.OutputRecord OutputRecord}; other records keep the input
	 * record's key bytes.
	 * @return the key serialiser
	 */
	public Serializer<Object> keySerializer() {
		return this.keySerializer;
	}

	public Serializer<Object> valueSerializer() {
		return this.valueSerializer;
	}

	/**
	 * Default {@code batch.size}: eight times Kafka's 16 KiB. A worker writes its records
	 * in bursts; larger batches mean fewer produce requests, which on the benchmark machine
	 * cut the broker's CPU per record by about 40% and raised throughput by about half
	 * (see BENCHMARKS.md).
	 */
	public static final int DEFAULT_BATCH_SIZE = 128 * 1024;

	/**
	 * Default {@code retry.backoff.ms} of transactional producers. The first send of a
	 * transaction begun right after a commit often finds the broker still completing the
	 * previous one ({@code CONCURRENT_TRANSACTIONS}) and is retried after this backoff;
	 * Kafka's 100 ms would hold every checkpoint's first records back for that long.
	 * Retries back off exponentially from here up to {@code retry.backoff.max.ms}.
	 */
	public static final int TRANSACTIONAL_RETRY_BACKOFF_MS = 5;

	/**
	 * The configuration of a producer writing for this sink. Records are serialised by the
	 * sink before they reach the producer, so the producer works on bytes. Defaults (each
	 * overridable through the sink's properties): {@code linger.ms=5},
	 * {@code batch.size} {@value #DEFAULT_BATCH_SIZE}, and for exactly-once
	 * {@code retry.backoff.ms} {@value #TRANSACTIONAL_RETRY_BACKOFF_MS}.
	 * @param clientId the producer's client id
	 * @param transactionalId the transactional id, for an exactly-once sink
	 * @return the producer configuration
	 */
	public Map<String, Object> producerConfig(String clientId, @Nullable String transactionalId) {
		Map<String, Object> config = new HashMap<>(this.producerProperties);
		config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
		config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_SIZE);
		if (this.deliveryGuarantee != DeliveryGuarantee.NONE) {
			config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
			config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		}
		if (this.deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE) {
			config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, Objects.requireNonNull(transactionalId));
			config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
			config.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, TRANSACTIONAL_RETRY_BACKOFF_MS);
			if (this.transactionTimeout != null) {
				config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) this.transactionTimeout.toMillis());
			}
		}
		return config;
	}

	@Override
	public String toString() {
		return "KafkaSink[" + this.name + " topic=" + ((this.topicSelector != null) ? this.topicSelector : this.topic)
				+ " " + this.deliveryGuarantee + "]";
	}

	/**
	 * Builder of {@link KafkaSinkSpec}.
	 */
	public static final class Builder {

		private @Nullable String name;

		private @Nullable String topic;

		private @Nullable TopicSelector topicSelector;

		private @Nullable SinkPartitioner partitioner;

		private boolean writeTimestamp = true;

		private boolean copyHeaders;

		private DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.AT_LEAST_ONCE;

		private @Nullable String transactionalIdPrefix;

		private @Nullable Duration transactionTimeout;

		private final Map<String, Object> producerProperties = new LinkedHashMap<>();

		private @Nullable Map<String, Object> adminProperties;

		private Serializer<Object> keySerializer = Serializers.bytes();

		private Serializer<Object> valueSerializer = Serializers.bytes();

		private Builder() {
		}

		public Builder name(String name) {
			this.name = name;
			return this;
		}

		public Builder topic(@Nullable String topic) {
			this.topic = topic;
			return this;
		}

		/**
		 * Sets what chooses the topic of each record; the {@link #topic(String) topic} is
		 * then the default for records it has no topic for.
		 * @param topicSelector the topic selector, or {@code null}
		 * @return this
		 */
		public Builder topicSelector(@Nullable TopicSelector topicSelector) {
			this.topicSelector = topicSelector;
			return this;
		}

		/**
		 * Sets what chooses the partition of each record.
		 * @param partitioner the partitioner, or {@code null} for the producer's
		 * partitioner (the default)
		 * @return this
		 */
		public Builder partitioner(@Nullable SinkPartitioner partitioner) {
			this.partitioner = partitioner;
			return this;
		}

		/**
		 * Sets whether output records carry the input record's timestamp (the default).
		 * @param writeTimestamp whether to write the input timestamp
		 * @return this
		 */
		public Builder writeTimestamp(boolean writeTimestamp) {
			this.writeTimestamp = writeTimestamp;
			return this;
		}

		/**
		 * Sets whether output records carry the input record's headers (off by default).
		 * @param copyHeaders whether to copy input headers
		 * @return this
		 */
		public Builder copyHeaders(boolean copyHeaders) {
			this.copyHeaders = copyHeaders;
			return this;
		}

		public Builder deliveryGuarantee(DeliveryGuarantee deliveryGuarantee) {
			this.deliveryGuarantee = Objects.requireNonNull(deliveryGuarantee, "deliveryGuarantee");
			return this;
		}

		public Builder transactionalIdPrefix(@Nullable String transactionalIdPrefix) {
			this.transactionalIdPrefix = transactionalIdPrefix;
			return this;
		}

		public Builder transactionTimeout(@Nullable Duration transactionTimeout) {
			this.transactionTimeout = transactionTimeout;
			return this;
		}

		public Builder producerProperties(Map<String, ?> properties) {
			this.producerProperties.putAll(properties);
			return this;
		}

		/**
		 * Sets the properties of the admin clients that look after the sink's transactions.
		 * @param properties the properties, by default the producers' own
		 * @return this builder
		 */
		public Builder adminProperties(Map<String, ?> properties) {
			this.adminProperties = new LinkedHashMap<>(properties);
			return this;
		}

		@SuppressWarnings("unchecked")
		public Builder keySerializer(Serializer<?> serializer) {
			this.keySerializer = (Serializer<Object>) Objects.requireNonNull(serializer, "keySerializer");
			return this;
		}

		@SuppressWarnings("unchecked")
		public Builder valueSerializer(Serializer<?> serializer) {
			this.valueSerializer = (Serializer<Object>) Objects.requireNonNull(serializer, "valueSerializer");
			return this;
		}

		public KafkaSinkSpec build() {
			return new KafkaSinkSpec(this);
		}

	}

}
