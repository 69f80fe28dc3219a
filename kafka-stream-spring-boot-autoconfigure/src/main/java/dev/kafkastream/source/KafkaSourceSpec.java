package dev.kafkastream.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Immutable description of a Kafka source: what to subscribe to, where to start, how many
 * workers read it and how its records are deserialised. Build one with {@link #builder()}.
 */
public final class KafkaSourceSpec {

	/**
	 * Consumer properties the source owns: a value given for one of them is replaced.
	 */
	public static final Set<String> OWNED_PROPERTIES = Set.of(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
			ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
			ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);

	private final String name;

	private final List<String> topics;

	private final String groupId;

	private final StartingOffsets startingOffsets;

	private final int concurrency;

	private final Duration pollTimeout;

	private final Map<String, Object> consumerProperties;

	private final Deserializer<?> keyDeserializer;

	private final Deserializer<?> valueDeserializer;

	private KafkaSourceSpec(Builder builder) {
		this.name = requireText(builder.name, "name");
		this.topics = List.copyOf(builder.topics);
		if (this.topics.isEmpty()) {
			throw new IllegalArgumentException("Source '" + this.name + "' needs at least one topic");
		}
		this.groupId = requireText(builder.groupId, "groupId");
		this.startingOffsets = builder.startingOffsets;
		if (builder.concurrency < 1) {
			throw new IllegalArgumentException("Source '" + this.name + "' concurrency must be at least 1");
		}
		this.concurrency = builder.concurrency;
		this.pollTimeout = builder.pollTimeout;
		this.consumerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(builder.consumerProperties));
		this.keyDeserializer = builder.keyDeserializer;
		this.valueDeserializer = builder.valueDeserializer;
	}

	private static String requireText(@Nullable String value, String what) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("A source needs a " + what);
		}
		return value;
	}

	public static Builder builder() {
		return new Builder();
	}

	public String name() {
		return this.name;
	}

	public List<String> topics() {
		return this.topics;
	}

	public String groupId() {
		return this.groupId;
	}

	public StartingOffsets startingOffsets() {
		return this.startingOffsets;
	}

	public int concurrency() {
		return this.concurrency;
	}

	/**
	 * The longest time a worker waits in one poll when no records arrive, which bounds
	 * how late an idle worker sees a checkpoint request.
	 * @return the poll timeout
	 */
	public Duration pollTimeout() {
		return this.pollTimeout;
	}

	/**
	 * The consumer properties given for this source, before the owned ones are applied.
	 * @return the properties
	 */
	public Map<String, Object> consumerProperties() {
		return this.consumerProperties;
	}

	public Deserializer<?> keyDeserializer() {
		return this.keyDeserializer;
	}

	public Deserializer<?> valueDeserializer() {
		return this.valueDeserializer;
	}

	/**
	 * The configuration of the consumer of one worker: the given properties, then the
	 * group, client id and the properties the source owns. Records are read as bytes and
	 * deserialised by the worker so that a bad record can be reported with its position.
	 * @param clientId the client id of the worker's consumer
	 * @return the consumer configuration
	 */
	public Map<String, Object> consumerConfig(String clientId) {
		Map<String, Object> config = new HashMap<>(this.consumerProperties);
		config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.GROUP_ID_CONFIG, this.groupId);
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
		config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, this.startingOffsets.autoOffsetReset());
		return config;
	}

	@Override
	public String toString() {
		return "KafkaSource[" + this.name + " topics=" + this.topics + " group=" + this.groupId + "]";
	}

	/**
	 * Builder of {@link KafkaSourceSpec}.
	 */
	public static final class Builder {

		private @Nullable String name;

		private final List<String> topics = new ArrayList<>();

		private @Nullable String groupId;

		private StartingOffsets startingOffsets = StartingOffsets.earliest();

		private int concurrency = 1;

		private Duration pollTimeout = Duration.ofMillis(100);

		private final Map<String, Object> consumerProperties = new LinkedHashMap<>();

		private Deserializer<?> keyDeserializer = new ByteArrayDeserializer();

		private Deserializer<?> valueDeserializer = new ByteArrayDeserializer();

		private Builder() {
		}

		public Builder name(String name) {
			this.name = name;
			return this;
		}

		public Builder topics(List<String> topics) {
			this.topics.addAll(topics);
			return this;
		}

		public Builder topics(String... topics) {
			return topics(List.of(topics));
		}

		public Builder groupId(String groupId) {
			this.groupId = groupId;
			return this;
		}

		public Builder startingOffsets(StartingOffsets startingOffsets) {
			this.startingOffsets = Objects.requireNonNull(startingOffsets, "startingOffsets");
			return this;
		}

		public Builder concurrency(int concurrency) {
			this.concurrency = concurrency;
			return this;
		}

		public Builder pollTimeout(Duration pollTimeout) {
			this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
			return this;
		}

		public Builder consumerProperties(Map<String, ?> properties) {
			this.consumerProperties.putAll(properties);
			return this;
		}

		public Builder keyDeserializer(Deserializer<?> deserializer) {
			this.keyDeserializer = Objects.requireNonNull(deserializer, "keyDeserializer");
			return this;
		}

		public Builder valueDeserializer(Deserializer<?> deserializer) {
			this.valueDeserializer = Objects.requireNonNull(deserializer, "valueDeserializer");
			return this;
		}

		public KafkaSourceSpec build() {
			return new KafkaSourceSpec(this);
		}

	}

}
