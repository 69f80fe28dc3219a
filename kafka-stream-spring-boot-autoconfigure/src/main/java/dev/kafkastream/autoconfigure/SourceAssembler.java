package dev.kafkastream.autoconfigure;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.kafkastream.autoconfigure.KafkaStreamProperties.Source;
import dev.kafkastream.handler.HandlerMethod;
import dev.kafkastream.source.DeserializationErrorPolicy;
import dev.kafkastream.source.GroupInstanceIds;
import dev.kafkastream.source.HandlerErrorPolicy;
import dev.kafkastream.source.HandlerRetry;
import dev.kafkastream.source.KafkaSourceSpec;
import dev.kafkastream.source.StartingOffsets;
import dev.kafkastream.source.StoppingOffsets;
import dev.kafkastream.source.Subscription;
import dev.kafkastream.source.Timestamps;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.ResolvableType;
import org.springframework.util.StringUtils;

/**
 * Turns the properties of one source into a {@link KafkaSourceSpec}, reporting every
 * mistake with the property to fix.
 */
final class SourceAssembler {

	private static final Logger logger = LoggerFactory.getLogger(SourceAssembler.class);

	/**
	 * Consumer properties the group protocol of KIP-848 refuses: the brokers own them.
	 */
	private static final List<String> CLASSIC_PROTOCOL_PROPERTIES = List.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
			ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);

	private final KafkaClientConfigs clientConfigs;

	private final @Nullable String applicationName;

	private final Serdes serdes;

	private final DeserializerResolver deserializers;

	private final Membership membership;

	SourceAssembler(KafkaClientConfigs clientConfigs, @Nullable String applicationName, Serdes serdes,
			DeserializerResolver deserializers, Membership membership) {
		this.clientConfigs = clientConfigs;
		this.applicationName = applicationName;
		this.serdes = serdes;
		this.deserializers = deserializers;
		this.membership = membership;
	}

	KafkaSourceSpec assemble(String name, Source source, HandlerMethod handler, boolean exactlyOnce) {
		String prefix = "kafka-stream.sources." + name;
		String groupId = StringUtils.hasText(source.getGroupId()) ? source.getGroupId() : this.applicationName;
		if (!StringUtils.hasText(groupId)) {
			throw new KafkaStreamConfigurationException(prefix + ".group-id", "Source '" + name + "' has no group id",
					"Set the consumer group id whose committed offsets are the source's checkpoint"
							+ " (or set 'spring.application.name').");
		}
		if (source.getConcurrency() < 1) {
			throw new KafkaStreamConfigurationException(prefix + ".concurrency",
					"Source '" + name + "' has concurrency " + source.getConcurrency(), "Set it to 1 or more.");
		}
		if (!source.isCommitOffsetsOnCheckpoint() && exactlyOnce) {
			throw new KafkaStreamConfigurationException(prefix + ".commit-offsets-on-checkpoint",
					"Source '" + name + "' feeds an exactly-once sink, which commits offsets in its transactions",
					"Remove the property, or choose another delivery guarantee.");
		}
		Map<String, Object> consumerProperties = consumerProperties(prefix, source);
		checkMaxPollInterval(prefix, consumerProperties);
		Subscription subscription = subscription(prefix, source);
		if (subscription.usesGroup()) {
			checkGroupMembership(name, prefix, source, consumerProperties);
		}
		ZoneId zone = zone(prefix, source);
		return KafkaSourceSpec.builder()
			.name(name)
			.subscription(subscription)
			.groupId(groupId)
			.startingOffsets(startingOffsets(prefix, source, zone))
			.stoppingOffsets(stoppingOffsets(prefix, source, zone), source.isBounded())
			.concurrency(source.getConcurrency())
			.staticMembership(this.membership.staticMembership(), this.membership.leaveGroupOnShutdown())
			.pollTimeout(source.getPollTimeout())
			.consumerProperties(consumerProperties)
			.keyDeserializer(deserializer(prefix, "key", source.getKeyFormat(), source.getKeyDeserializer(),
					handler.keyType(), handler, consumerProperties, true))
			.valueDeserializer(deserializer(prefix, "value", source.getValueFormat(), source.getValueDeserializer(),
					handler.valueType(), handler, consumerProperties, false))
			.deserializationErrors(source.getOnDeserializationError(), source.getDeadLetterTopic(),
					this.clientConfigs.deadLetterProducer(prefix, source))
			.adminProperties(this.clientConfigs.admin(prefix, source.getSecurity(), source.getProperties()))
			.handlerErrors(source.getOnHandlerError(), handlerRetry(prefix, source))
			.clientIdPrefix(source.getClientIdPrefix())
			.commitOffsets(source.isCommitOffsetsOnCheckpoint())
			.build();
	}

	private Map<String, Object> consumerProperties(String prefix, Source source) {
		Map<String, Object> properties = this.clientConfigs.consumer(prefix, source);
		for (String owned : KafkaSourceSpec.OWNED_PROPERTIES) {
			if (properties.containsKey(owned)) {
				logger.warn("Ignoring '{}' for {}: the source owns this consumer property", owned, prefix);
			}
		}
		if (properties.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)) {
			throw new KafkaStreamConfigurationException(property(prefix, source, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
					"A group.instance.id is set for " + prefix + ", but every worker of every source needs one of its"
							+ " own: kafka-stream makes them of the instance id, the source and the worker",
					"Remove it, and set 'kafka-stream.instance-id' to choose the ids ('kafka-stream.static-membership'"
							+ " switches static membership on and off).");
		}
		properties.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
				source.getIsolationLevel().name().toLowerCase(Locale.ROOT));
		if (source.getPartitionDiscoveryInterval() != null) {
			if (source.getPartitionDiscoveryInterval().isNegative() || source.getPartitionDiscoveryInterval().isZero()) {
				throw new KafkaStreamConfigurationException(prefix + ".partition-discovery-interval",
						"The partition discovery interval is " + source.getPartitionDiscoveryInterval(),
						"Set a positive interval, or remove the property for the Kafka client's default.");
			}
			properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG,
					(int) source.getPartitionDiscoveryInterval().toMillis());
		}
		return properties;
	}

	/**
	 * Checks that the workers can join their group: group instance ids Kafka accepts for
	 * static members, and no setting the consumer group protocol refuses.
	 */
	private void checkGroupMembership(String name, String prefix, Source source,
			Map<String, Object> consumerProperties) {
		if (this.membership.staticMembership()) {
			if (!GroupInstanceIds.isLegal(this.membership.instanceId())) {
				throw new KafkaStreamConfigurationException("kafka-stream.instance-id",
						"The instance id '" + this.membership.instanceId() + "' cannot be part of a group.instance.id",
						"Use letters, digits, '.', '_' and '-' only, or set 'kafka-stream.static-membership' to false.");
			}
			String groupInstanceId = GroupInstanceIds.of(this.membership.instanceId(), name,
					source.getConcurrency() - 1);
			if (!GroupInstanceIds.isLegal(groupInstanceId)) {
				throw new KafkaStreamConfigurationException(prefix,
						"The group.instance.id '" + groupInstanceId + "' of source '" + name
								+ "' is not one Kafka accepts",
						"Name the source with letters, digits, '.', '_' and '-' only, shorten it or the instance id,"
								+ " or set 'kafka-stream.static-membership' to false.");
			}
		}
		if (KafkaSourceSpec.usesConsumerGroupProtocol(consumerProperties)) {
			for (String refused : CLASSIC_PROTOCOL_PROPERTIES) {
				if (consumerProperties.containsKey(refused)) {
					throw new KafkaStreamConfigurationException(property(prefix, source, refused),
							"Source '" + name + "' uses group.protocol=consumer, where the brokers own " + refused,
							"Remove it (the group's settings are the brokers' group.consumer.* configurations), or"
									+ " use the classic group protocol.");
				}
			}
		}
	}

	/**
	 * The property that set a consumer property: the source's own, else the common one.
	 */
	private static String property(String prefix, Source source, String key) {
		return source.getProperties().containsKey(key) ? prefix + ".properties." + key
				: "kafka-stream.properties." + key;
	}

	/**
	 * Who this instance is in consumer groups.
	 *
	 * @param instanceId the id of this instance
	 * @param staticMembership whether workers join as static members
	 * @param leaveGroupOnShutdown whether static members leave when stopped
	 */
	record Membership(String instanceId, boolean staticMembership, boolean leaveGroupOnShutdown) {

	}

	private Subscription subscription(String prefix, Source source) {
		List<String> topics = source.getTopics().stream().filter(StringUtils::hasText).toList();
		boolean pattern = StringUtils.hasText(source.getTopicPattern());
		boolean partitions = !source.getPartitions().isEmpty();
		List<String> given = new ArrayList<>();
		if (!topics.isEmpty()) {
			given.add(prefix + ".topics");
		}
		if (pattern) {
			given.add(prefix + ".topic-pattern");
		}
		if (partitions) {
			given.add(prefix + ".partitions");
		}
		if (given.size() != 1) {
			throw new KafkaStreamConfigurationException(given.isEmpty() ? prefix + ".topics" : given.get(1),
					given.isEmpty() ? "Source has no topics, topic pattern or partitions"
							: "Source has " + String.join(" and ", given),
					"Set exactly one of '" + prefix + ".topics', '" + prefix + ".topic-pattern' and '" + prefix
							+ ".partitions'.");
		}
		boolean deadLettering = source.getOnDeserializationError() == DeserializationErrorPolicy.DEAD_LETTER
				|| source.getOnHandlerError() == HandlerErrorPolicy.DEAD_LETTER;
		if (pattern) {
			Pattern compiled;
			try {
				compiled = Pattern.compile(source.getTopicPattern());
			}
			catch (PatternSyntaxException ex) {
				throw new KafkaStreamConfigurationException(prefix + ".topic-pattern",
						"'" + source.getTopicPattern() + "' is not a regular expression: " + ex.getDescription(),
						"Fix the pattern.");
			}
			return Subscription.pattern(deadLettering ? withoutDeadLetterTopics(compiled, source) : compiled);
		}
		List<String> read = partitions ? List.copyOf(source.getPartitions().keySet()) : topics;
		if (deadLettering) {
			for (String topic : read) {
				if (isDeadLetterTopic(topic, source)) {
					throw new KafkaStreamConfigurationException(prefix + ".dead-letter-topic",
							"Source reads '" + topic + "', which is also where it sends records it cannot"
									+ " deserialize or handle: they would come back forever",
							"Choose another dead-letter topic, or do not read it in this source.");
				}
			}
		}
		if (partitions) {
			return Subscription.partitions(topicPartitions(source.getPartitions()));
		}
		return Subscription.topics(topics);
	}

	/**
	 * The retries of records the handler throws on. Their waits are not limited: the
	 * worker keeps polling and taking checkpoints while a record waits to be retried.
	 */
	private static HandlerRetry handlerRetry(String prefix, Source source) {
		if (source.getHandlerMaxAttempts() < 1) {
			throw new KafkaStreamConfigurationException(prefix + ".handler-max-attempts",
					"The number of handler attempts is " + source.getHandlerMaxAttempts(),
					"Set it to 1 (no retry) or more.");
		}
		requireNotNegative(source.getHandlerBackoff(), prefix + ".handler-backoff");
		requireNotNegative(source.getHandlerMaxBackoff(), prefix + ".handler-max-backoff");
		return new HandlerRetry(source.getHandlerMaxAttempts(), source.getHandlerBackoff(),
				source.getHandlerMaxBackoff());
	}

	/**
	 * Checks that {@code max.poll.interval.ms}, which the workers read to know how often
	 * to poll during a long batch, is a number.
	 */
	private static void checkMaxPollInterval(String prefix, Map<String, Object> consumerProperties) {
		Object value = consumerProperties.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
		if (value == null) {
			return;
		}
		try {
			Long.parseLong(value.toString().trim());
		}
		catch (NumberFormatException ex) {
			throw new KafkaStreamConfigurationException(prefix + ".properties.max.poll.interval.ms",
					"'" + value + "' is not a number of milliseconds", "Set the interval in milliseconds.");
		}
	}

	private static void requireNotNegative(Duration duration, String property) {
		if (duration.isNegative()) {
			throw new KafkaStreamConfigurationException(property, "The duration " + duration + " is negative",
					"Set it to 0 or more, such as 100ms.");
		}
	}

	/**
	 * A pattern that also matches the dead-letter topic would read dead letters back and
	 * send them on, forever: leave dead-letter topics out.
	 */
	private static Pattern withoutDeadLetterTopics(Pattern pattern, Source source) {
		String deadLetters = StringUtils.hasText(source.getDeadLetterTopic())
				? Pattern.quote(source.getDeadLetterTopic()) : ".*" + Pattern.quote(".DLT");
		return Pattern.compile("(?!" + deadLetters + "$)(?:" + pattern.pattern() + ")", pattern.flags());
	}

	private static boolean isDeadLetterTopic(String topic, Source source) {
		return StringUtils.hasText(source.getDeadLetterTopic()) ? topic.equals(source.getDeadLetterTopic())
				: topic.endsWith(".DLT");
	}

	private static List<TopicPartition> topicPartitions(Map<String, List<Integer>> partitions) {
		List<TopicPartition> result = new ArrayList<>();
		partitions.forEach((topic, numbers) -> numbers.forEach((number) -> result.add(new TopicPartition(topic, number))));
		return result;
	}

	private static Map<TopicPartition, Long> offsets(Map<String, Map<Integer, Long>> offsets) {
		Map<TopicPartition, Long> result = new HashMap<>();
		offsets.forEach((topic, byPartition) -> byPartition
			.forEach((partition, offset) -> result.put(new TopicPartition(topic, partition), offset)));
		return result;
	}

	private static ZoneId zone(String prefix, Source source) {
		if (!StringUtils.hasText(source.getTimeZone())) {
			return ZoneId.systemDefault();
		}
		try {
			return ZoneId.of(source.getTimeZone());
		}
		catch (DateTimeException ex) {
			throw new KafkaStreamConfigurationException(prefix + ".time-zone",
					"'" + source.getTimeZone() + "' is not a time zone", "Use a zone id such as Asia/Shanghai or UTC.");
		}
	}

	private static long timestamp(@Nullable String value, String property, ZoneId zone, String mode) {
		if (!StringUtils.hasText(value)) {
			throw new KafkaStreamConfigurationException(property, "'" + mode + "' is 'timestamp' but no timestamp is set",
					"Set the timestamp.");
		}
		try {
			return Timestamps.parse(value, zone);
		}
		catch (IllegalArgumentException ex) {
			throw new KafkaStreamConfigurationException(property, ex.getMessage(), "Fix the timestamp.");
		}
	}

	private static StartingOffsets startingOffsets(String prefix, Source source, ZoneId zone) {
		return switch (source.getStartingOffsets()) {
			case EARLIEST -> StartingOffsets.earliest();
			case LATEST -> StartingOffsets.latest();
			case COMMITTED -> StartingOffsets.committed(source.getOffsetResetStrategy());
			case TIMESTAMP -> StartingOffsets.timestamp(
					timestamp(source.getStartingTimestamp(), prefix + ".starting-timestamp", zone, prefix + ".starting-offsets"));
			case SPECIFIC -> {
				if (source.getSpecificOffsets().isEmpty()) {
					throw new KafkaStreamConfigurationException(prefix + ".specific-offsets",
							"'starting-offsets' is 'specific' but no offsets are set",
							"Set the offsets by topic and partition.");
				}
				yield StartingOffsets.specific(offsets(source.getSpecificOffsets()), source.getOffsetResetStrategy());
			}
		};
	}

	private static @Nullable StoppingOffsets stoppingOffsets(String prefix, Source source, ZoneId zone) {
		return switch (source.getStoppingOffsets()) {
			case NONE -> null;
			case LATEST -> StoppingOffsets.latest();
			case TIMESTAMP -> StoppingOffsets.timestamp(
					timestamp(source.getStoppingTimestamp(), prefix + ".stopping-timestamp", zone, prefix + ".stopping-offsets"));
			case SPECIFIC -> {
				if (source.getStoppingSpecificOffsets().isEmpty()) {
					throw new KafkaStreamConfigurationException(prefix + ".stopping-specific-offsets",
							"'stopping-offsets' is 'specific' but no offsets are set",
							"Set the offsets by topic and partition.");
				}
				yield StoppingOffsets.specific(offsets(source.getStoppingSpecificOffsets()));
			}
		};
	}

	private Deserializer<?> deserializer(String prefix, String part, @Nullable Format format,
			@Nullable String deserializerName, ResolvableType type, HandlerMethod handler,
			Map<String, Object> consumerProperties, boolean isKey) {
		String formatProperty = prefix + "." + part + "-format";
		String deserializerProperty = prefix + "." + part + "-deserializer";
		if (StringUtils.hasText(deserializerName)) {
			if (format != null) {
				throw new KafkaStreamConfigurationException(deserializerProperty,
						"Both '" + formatProperty + "' and '" + deserializerProperty + "' are set",
						"Set one of them.");
			}
			return this.deserializers.resolve(deserializerName, deserializerProperty, consumerProperties, isKey);
		}
		Format resolved = Formats.resolve(format, type, Format.BYTES, formatProperty, handler);
		return this.serdes.deserializer(resolved, type, formatProperty);
	}

}
