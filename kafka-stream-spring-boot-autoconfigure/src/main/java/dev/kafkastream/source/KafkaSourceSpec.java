package dev.kafkastream.source;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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

	private final Subscription subscription;

	private final String groupId;

	private final StartingOffsets startingOffsets;

	private final @Nullable StoppingOffsets stoppingOffsets;

	private final boolean bounded;

	private final DeserializationErrorPolicy deserializationErrorPolicy;

	private final HandlerErrorPolicy handlerErrorPolicy;

	private final HandlerRetry handlerRetry;

	private final @Nullable String deadLetterTopic;

	private final Map<String, Object> deadLetterProducerProperties;

	private final @Nullable String clientIdPrefix;

	private final boolean commitOffsets;

	private final int concurrency;

	private final boolean staticMembership;

	private final boolean leaveGroupOnClose;

	private final Duration pollTimeout;

	private final Map<String, Object> consumerProperties;

	private final Map<String, Object> adminProperties;

	private final Deserializer<?> keyDeserializer;

	private final Deserializer<?> valueDeserializer;

	private KafkaSourceSpec(Builder builder) {
		this.name = requireText(builder.name, "name");
		if (builder.subscription == null) {
			throw new IllegalArgumentException("Source '" + this.name + "' needs topics, a topic pattern or partitions");
		}
		this.subscription = builder.subscription;
		this.groupId = requireText(builder.groupId, "groupId");
		this.startingOffsets = builder.startingOffsets;
		this.stoppingOffsets = builder.stoppingOffsets;
		this.bounded = builder.stoppingOffsets != null && builder.bounded;
		this.deserializationErrorPolicy = builder.deserializationErrorPolicy;
		this.handlerErrorPolicy = builder.handlerErrorPolicy;
		this.handlerRetry = builder.handlerRetry;
		this.deadLetterTopic = builder.deadLetterTopic;
		this.deadLetterProducerProperties = Collections
			.unmodifiableMap(new LinkedHashMap<>(builder.deadLetterProducerProperties));
		this.clientIdPrefix = builder.clientIdPrefix;
		this.commitOffsets = builder.commitOffsets;
		if (builder.concurrency < 1) {
			throw new IllegalArgumentException("Source '" + this.name + "' concurrency must be at least 1");
		}
		this.concurrency = builder.concurrency;
		this.staticMembership = builder.staticMembership;
		this.leaveGroupOnClose = builder.leaveGroupOnClose;
		this.pollTimeout = builder.pollTimeout;
		this.consumerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(builder.consumerProperties));
		this.adminProperties = Collections.unmodifiableMap(new LinkedHashMap<>(
				(builder.adminProperties != null) ? builder.adminProperties : builder.consumerProperties));
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

	public Subscription subscription() {
		return this.subscription;
	}

	public String groupId() {
		return this.groupId;
	}

	public StartingOffsets startingOffsets() {
		return this.startingOffsets;
	}

	/**
	 * Where the source stops reading each partition.
	 * @return the stopping offsets, or {@code null} for a source that reads on
	 */
	public @Nullable StoppingOffsets stoppingOffsets() {
		return this.stoppingOffsets;
	}

	/**
	 * Whether the source finishes once every partition reached its stopping offset. An
	 * unbounded source with stopping offsets stops reading each partition there but keeps
	 * running.
	 * @return whether the source is bounded
	 */
	public boolean bounded() {
		return this.bounded;
	}

	public DeserializationErrorPolicy deserializationErrorPolicy() {
		return this.deserializationErrorPolicy;
	}

	/**
	 * What to do with a record the handler still fails on after {@link #handlerRetry()}.
	 * @return the policy
	 */
	public HandlerErrorPolicy handlerErrorPolicy() {
		return this.handlerErrorPolicy;
	}

	/**
	 * How often the handler is called on a record it throws on, and the waits in between.
	 * @return the retry settings
	 */
	public HandlerRetry handlerRetry() {
		return this.handlerRetry;
	}

	/**
	 * Whether records may be written to a dead-letter topic, because they cannot be
	 * deserialised or because the handler fails on them.
	 * @return whether the source writes dead letters
	 */
	public boolean writesDeadLetters() {
		return this.deserializationErrorPolicy == DeserializationErrorPolicy.DEAD_LETTER
				|| this.handlerErrorPolicy == HandlerErrorPolicy.DEAD_LETTER;
	}

	/**
	 * The dead-letter topic of records read from a topic.
	 * @param topic the topic the record was read from
	 * @return the configured dead-letter topic, or {@code <topic>.DLT}
	 */
	public String deadLetterTopic(String topic) {
		return (this.deadLetterTopic != null) ? this.deadLetterTopic : topic + ".DLT";
	}

	/**
	 * The configuration of the producer that writes dead letters when the pipeline has no
	 * sink.
	 * @return the producer properties
	 */
	public Map<String, Object> deadLetterProducerProperties() {
		return this.deadLetterProducerProperties;
	}

	/**
	 * The prefix of the client ids of the source's consumers.
	 * @return the prefix, or {@code null} for the default
	 */
	public @Nullable String clientIdPrefix() {
		return this.clientIdPrefix;
	}

	/**
	 * Whether checkpoints commit the consumed offsets to the group. Without, every start
	 * reads from the starting offsets.
	 * @return whether offsets are committed
	 */
	public boolean commitOffsets() {
		return this.commitOffsets;
	}

	public int concurrency() {
		return this.concurrency;
	}

	/**
	 * Whether the workers join the consumer group as static members, with a
	 * {@code group.instance.id} of their own that stays the same across restarts.
	 * @return whether membership is static
	 */
	public boolean staticMembership() {
		return this.staticMembership;
	}

	/**
	 * The group instance id of a worker's consumer: {@code <instance-id>-<source>-<worker>}
	 * for static members of a consumer group.
	 * @param instanceId the id of the application instance
	 * @param worker the index of the worker
	 * @return the group instance id, or {@code null} for dynamic members and for explicit
	 * partitions, which are read without joining the group
	 */
	public @Nullable String groupInstanceId(String instanceId, int worker) {
		return (this.staticMembership && this.subscription.usesGroup())
				? GroupInstanceIds.of(instanceId, this.name, worker) : null;
	}

	/**
	 * What a worker's consumer does about its group membership when it is closed: a
	 * static member leaves the group, so that its partitions move to the other members at
	 * once, unless it was built to keep its membership for a restart with the same
	 * instance id (its partitions then wait for {@code session.timeout.ms}). A dynamic
	 * member always leaves: a restart gets a new member id anyway.
	 * @return the membership operation for {@code Consumer.close(CloseOptions)}
	 */
	public GroupMembershipOperation membershipOnClose() {
		if (!this.staticMembership) {
			return GroupMembershipOperation.DEFAULT;
		}
		return this.leaveGroupOnClose ? GroupMembershipOperation.LEAVE_GROUP
				: GroupMembershipOperation.REMAIN_IN_GROUP;
	}

	/**
	 * Whether the consumers use the consumer group protocol of KIP-848
	 * ({@code group.protocol=consumer}), where the brokers assign the partitions, rather
	 * than the classic one.
	 * @return whether the group protocol is {@code consumer}
	 */
	public boolean usesConsumerGroupProtocol() {
		return usesConsumerGroupProtocol(this.consumerProperties);
	}

	/**
	 * Whether consumer properties choose the consumer group protocol of KIP-848
	 * ({@code group.protocol=consumer}).
	 * @param consumerProperties the consumer properties
	 * @return whether the group protocol is {@code consumer}
	 */
	public static boolean usesConsumerGroupProtocol(Map<String, ?> consumerProperties) {
		Object protocol = consumerProperties.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
		return protocol != null && GroupProtocol.CONSUMER.name().equalsIgnoreCase(protocol.toString().trim());
	}

	/**
	 * The explicit partitions one worker reads.
	 * @param worker the index of the worker
	 * @return the partitions, empty when the consumer group assigns them
	 */
	public List<TopicPartition> explicitPartitionsOf(int worker) {
		if (this.subscription instanceof PartitionListSubscription explicit) {
			return explicit.partitionsOf(worker, this.concurrency);
		}
		return List.of();
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

	/**
	 * The properties of the admin clients that look after the source's group: the same cluster and
	 * security as the consumers. Properties the admin client does not know are left out
	 * when it is created.
	 * @return the properties
	 */
	public Map<String, Object> adminProperties() {
		return this.adminProperties;
	}

	public Deserializer<?> keyDeserializer() {
		return this.keyDeserializer;
	}

	public Deserializer<?> valueDeserializer() {
		return this.valueDeserializer;
	}

	/**
	 * The configuration of the consumer of one worker, as a dynamic member of its group.
	 * @param clientId the client id of the worker's consumer
	 * @return the consumer configuration
	 * @see #consumerConfig(String, String)
	 */
	public Map<String, Object> consumerConfig(String clientId) {
		return consumerConfig(clientId, null);
	}

	/**
	 * The configuration of the consumer of one worker: the given properties, then the
	 * group, client id, group instance id and the properties the source owns. Records are
	 * read as bytes and deserialised by the worker so that a bad record can be reported
	 * with its position; {@code auto.offset.reset} is {@code none} because the worker
	 * positions partitions without a checkpoint itself, from the starting offsets. Under
	 * the classic group protocol the partitions are assigned by the
	 * {@link CooperativeStickyAssignor} unless {@code partition.assignment.strategy} is
	 * set: a rebalance then only stops the partitions that move, and a member keeps the
	 * partitions it had.
	 * @param clientId the client id of the worker's consumer
	 * @param groupInstanceId the group instance id of a static member, or {@code null}
	 * @return the consumer configuration
	 * @see #groupInstanceId(String, int)
	 */
	public Map<String, Object> consumerConfig(String clientId, @Nullable String groupInstanceId) {
		Map<String, Object> config = new HashMap<>(this.consumerProperties);
		config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		if (this.subscription.usesGroup() && !usesConsumerGroupProtocol()) {
			config.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
					CooperativeStickyAssignor.class.getName());
		}
		if (groupInstanceId != null) {
			config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupInstanceId);
		}
		config.put(ConsumerConfig.GROUP_ID_CONFIG, this.groupId);
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
		config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
		return config;
	}

	/**
	 * The configuration of the producer that writes dead letters for a pipeline without a
	 * sink: acknowledged by all replicas, idempotent, on bytes.
	 * @param clientId the producer's client id
	 * @return the producer configuration
	 */
	public Map<String, Object> deadLetterProducerConfig(String clientId) {
		Map<String, Object> config = new HashMap<>(this.deadLetterProducerProperties);
		config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
		config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		return config;
	}

	@Override
	public String toString() {
		return "KafkaSource[" + this.name + " " + this.subscription + " group=" + this.groupId + "]";
	}

	/**
	 * Builder of {@link KafkaSourceSpec}.
	 */
	public static final class Builder {

		private @Nullable String name;

		private @Nullable Subscription subscription;

		private @Nullable String groupId;

		private StartingOffsets startingOffsets = StartingOffsets.earliest();

		private @Nullable StoppingOffsets stoppingOffsets;

		private boolean bounded = true;

		private DeserializationErrorPolicy deserializationErrorPolicy = DeserializationErrorPolicy.FAIL;

		private HandlerErrorPolicy handlerErrorPolicy = HandlerErrorPolicy.FAIL;

		private HandlerRetry handlerRetry = HandlerRetry.defaults();

		private @Nullable String deadLetterTopic;

		private final Map<String, Object> deadLetterProducerProperties = new LinkedHashMap<>();

		private @Nullable String clientIdPrefix;

		private boolean commitOffsets = true;

		private int concurrency = 1;

		private boolean staticMembership;

		private boolean leaveGroupOnClose = true;

		private Duration pollTimeout = Duration.ofMillis(100);

		private final Map<String, Object> consumerProperties = new LinkedHashMap<>();

		private @Nullable Map<String, Object> adminProperties;

		private Deserializer<?> keyDeserializer = new ByteArrayDeserializer();

		private Deserializer<?> valueDeserializer = new ByteArrayDeserializer();

		private Builder() {
		}

		public Builder name(String name) {
			this.name = name;
			return this;
		}

		public Builder subscription(Subscription subscription) {
			this.subscription = Objects.requireNonNull(subscription, "subscription");
			return this;
		}

		public Builder topics(String... topics) {
			return subscription(Subscription.topics(List.of(topics)));
		}

		public Builder groupId(String groupId) {
			this.groupId = groupId;
			return this;
		}

		public Builder startingOffsets(StartingOffsets startingOffsets) {
			this.startingOffsets = Objects.requireNonNull(startingOffsets, "startingOffsets");
			return this;
		}

		/**
		 * Sets where partitions stop, and whether the source then finishes.
		 * @param stoppingOffsets the stopping offsets
		 * @param bounded whether the source finishes when every partition stopped
		 * @return this builder
		 */
		public Builder stoppingOffsets(@Nullable StoppingOffsets stoppingOffsets, boolean bounded) {
			this.stoppingOffsets = stoppingOffsets;
			this.bounded = bounded;
			return this;
		}

		/**
		 * Sets what to do with records that cannot be deserialised.
		 * @param policy the policy
		 * @param deadLetterTopic the dead-letter topic, or {@code null} for
		 * {@code <topic>.DLT}
		 * @param producerProperties the configuration of a dead-letter producer for a
		 * pipeline without sink
		 * @return this builder
		 */
		public Builder deserializationErrors(DeserializationErrorPolicy policy, @Nullable String deadLetterTopic,
				Map<String, ?> producerProperties) {
			this.deserializationErrorPolicy = Objects.requireNonNull(policy, "policy");
			this.deadLetterTopic = deadLetterTopic;
			this.deadLetterProducerProperties.putAll(producerProperties);
			return this;
		}

		/**
		 * Sets what to do with records the handler throws on. A dead-letter policy writes
		 * to the topic set with {@link #deserializationErrors}.
		 * @param policy the policy once the retries are used up
		 * @param retry how often the handler is called on such a record
		 * @return this builder
		 */
		public Builder handlerErrors(HandlerErrorPolicy policy, HandlerRetry retry) {
			this.handlerErrorPolicy = Objects.requireNonNull(policy, "policy");
			this.handlerRetry = Objects.requireNonNull(retry, "retry");
			return this;
		}

		public Builder clientIdPrefix(@Nullable String clientIdPrefix) {
			this.clientIdPrefix = clientIdPrefix;
			return this;
		}

		public Builder commitOffsets(boolean commitOffsets) {
			this.commitOffsets = commitOffsets;
			return this;
		}

		public Builder concurrency(int concurrency) {
			this.concurrency = concurrency;
			return this;
		}

		/**
		 * Sets whether the workers join the consumer group as static members, and whether
		 * they leave it when they are closed.
		 * @param staticMembership whether membership is static
		 * @param leaveGroupOnClose whether a static member leaves the group when closed,
		 * rather than keeping its partitions for {@code session.timeout.ms}
		 * @return this builder
		 * @see KafkaSourceSpec#groupInstanceId(String, int)
		 */
		public Builder staticMembership(boolean staticMembership, boolean leaveGroupOnClose) {
			this.staticMembership = staticMembership;
			this.leaveGroupOnClose = leaveGroupOnClose;
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

		/**
		 * Sets the properties of the admin clients that look after the source's group.
		 * @param properties the properties, by default the consumers' own
		 * @return this builder
		 */
		public Builder adminProperties(Map<String, ?> properties) {
			this.adminProperties = new LinkedHashMap<>(properties);
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
