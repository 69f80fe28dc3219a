package dev.kafkastream.autoconfigure;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.tools.ToolProvider;

import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.source.KafkaSourceSpec;
import dev.kafkastream.source.OffsetsLookup;
import dev.kafkastream.source.StartingOffsets;
import dev.kafkastream.source.Subscription;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.kafkastream.autoconfigure.ConfigurationFailures.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the source properties, {@code kafka-stream.sources.<name>.*}: how
 * {@link KafkaStreamAutoConfiguration} turns them into a {@link KafkaSourceSpec}, and the
 * property it names for each mistake.
 */
@ExtendWith(OutputCaptureExtension.class)
class KafkaStreamSourcePropertiesTests {

	private static final String SOURCE = "kafka-stream.sources.in";

	/**
	 * 2024-05-01T00:00:00Z.
	 */
	private static final long MAY_FIRST_UTC = 1_714_521_600_000L;

	private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
				SOURCE + ".group-id=g", "kafka-stream.sinks.out.topic=out")
		.withUserConfiguration(UpperCaseConfiguration.class);

	private final ApplicationContextRunner ordersSource = this.contextRunner
		.withPropertyValues(SOURCE + ".topics=orders");

	@Test
	void failsWithoutTopicsTopicPatternOrPartitions() {
		this.contextRunner.run((context) -> assertFailure(context, SOURCE + ".topics",
				"Source has no topics, topic pattern or partitions", "Set exactly one of '" + SOURCE + ".topics', '"
						+ SOURCE + ".topic-pattern' and '" + SOURCE + ".partitions'"));
	}

	@Test
	void failsForTopicsAndTopicPattern() {
		this.ordersSource.withPropertyValues(SOURCE + ".topic-pattern=orders-.*")
			.run((context) -> assertFailure(context, SOURCE + ".topic-pattern",
					"Source has " + SOURCE + ".topics and " + SOURCE + ".topic-pattern", "Set exactly one of"));
	}

	@Test
	void failsForTopicsAndPartitions() {
		this.ordersSource.withPropertyValues(SOURCE + ".partitions.orders=0")
			.run((context) -> assertFailure(context, SOURCE + ".partitions",
					"Source has " + SOURCE + ".topics and " + SOURCE + ".partitions", "Set exactly one of"));
	}

	@Test
	void failsForTopicPatternAndPartitions() {
		this.contextRunner.withPropertyValues(SOURCE + ".topic-pattern=orders-.*", SOURCE + ".partitions.orders=0")
			.run((context) -> assertFailure(context, SOURCE + ".partitions",
					"Source has " + SOURCE + ".topic-pattern and " + SOURCE + ".partitions", "Set exactly one of"));
	}

	@Test
	void failsForASourceThatReadsItsOwnDeadLetterTopic() {
		this.contextRunner
			.withPropertyValues(SOURCE + ".topics=orders,orders.DLT", SOURCE + ".on-deserialization-error=dead-letter")
			.run((context) -> assertFailure(context, SOURCE + ".dead-letter-topic",
					"Source reads 'orders.DLT', which is also where it sends records it cannot deserialize",
					"Choose another dead-letter topic"));
	}

	@Test
	void topicPatternLeavesOutTheDeadLetterTopics() {
		this.contextRunner
			.withPropertyValues(SOURCE + ".topic-pattern=orders.*", SOURCE + ".on-deserialization-error=dead-letter")
			.run((context) -> {
				Subscription subscription = source(context).subscription();
				Map<String, List<PartitionInfo>> topics = Map.of("orders-eu", List.of(partitionInfo("orders-eu")),
						"orders-eu.DLT", List.of(partitionInfo("orders-eu.DLT")));
				assertThat(subscription.partitionsIn(topics)).containsExactly(new TopicPartition("orders-eu", 0));
			});
	}

	@Test
	void failsForANonPositivePartitionDiscoveryInterval() {
		this.ordersSource.withPropertyValues(SOURCE + ".partition-discovery-interval=0s")
			.run((context) -> assertFailure(context, SOURCE + ".partition-discovery-interval",
					"The partition discovery interval is PT0S", "Set a positive interval"));
	}

	@Test
	void failsForInvalidTopicPattern() {
		this.contextRunner.withPropertyValues(SOURCE + ".topic-pattern=orders-[0-9")
			.run((context) -> assertFailure(context, SOURCE + ".topic-pattern",
					"'orders-[0-9' is not a regular expression", "Fix the pattern."));
	}

	@Test
	void failsForTimestampStartWithoutTimestamp() {
		this.ordersSource.withPropertyValues(SOURCE + ".starting-offsets=timestamp")
			.run((context) -> assertFailure(context, SOURCE + ".starting-timestamp",
					"'" + SOURCE + ".starting-offsets' is 'timestamp' but no timestamp is set", "Set the timestamp."));
	}

	@Test
	void failsForUnparseableStartingTimestamp() {
		this.ordersSource
			.withPropertyValues(SOURCE + ".starting-offsets=timestamp", SOURCE + ".starting-timestamp=yesterday")
			.run((context) -> assertFailure(context, SOURCE + ".starting-timestamp",
					"'yesterday' is not a timestamp", "Fix the timestamp."));
	}

	@Test
	void failsForUnknownTimeZone() {
		this.ordersSource
			.withPropertyValues(SOURCE + ".starting-offsets=timestamp",
					SOURCE + ".starting-timestamp=2024-05-01 08:00:00", SOURCE + ".time-zone=Mars/Olympus_Mons")
			.run((context) -> assertFailure(context, SOURCE + ".time-zone", "'Mars/Olympus_Mons' is not a time zone",
					"Use a zone id such as Asia/Shanghai or UTC."));
	}

	@Test
	void failsForMalformedTimeZone() {
		this.ordersSource.withPropertyValues(SOURCE + ".time-zone=+25:00")
			.run((context) -> assertFailure(context, SOURCE + ".time-zone", "'+25:00' is not a time zone",
					"Use a zone id"));
	}

	@Test
	void failsForSpecificStartWithoutOffsets() {
		this.ordersSource.withPropertyValues(SOURCE + ".starting-offsets=specific")
			.run((context) -> assertFailure(context, SOURCE + ".specific-offsets",
					"'starting-offsets' is 'specific' but no offsets are set",
					"Set the offsets by topic and partition."));
	}

	@Test
	void failsForTimestampStopWithoutTimestamp() {
		this.ordersSource.withPropertyValues(SOURCE + ".stopping-offsets=timestamp")
			.run((context) -> assertFailure(context, SOURCE + ".stopping-timestamp",
					"'" + SOURCE + ".stopping-offsets' is 'timestamp' but no timestamp is set", "Set the timestamp."));
	}

	@Test
	void failsForUnparseableStoppingTimestamp() {
		this.ordersSource
			.withPropertyValues(SOURCE + ".stopping-offsets=timestamp", SOURCE + ".stopping-timestamp=2024-05-01")
			.run((context) -> assertFailure(context, SOURCE + ".stopping-timestamp",
					"'2024-05-01' is not a timestamp", "Fix the timestamp."));
	}

	@Test
	void failsForSpecificStopWithoutOffsets() {
		this.ordersSource.withPropertyValues(SOURCE + ".stopping-offsets=specific")
			.run((context) -> assertFailure(context, SOURCE + ".stopping-specific-offsets",
					"'stopping-offsets' is 'specific' but no offsets are set",
					"Set the offsets by topic and partition."));
	}

	@Test
	void failsForNotCommittingOffsetsWithAnExactlyOnceSink() {
		this.ordersSource
			.withPropertyValues(SOURCE + ".commit-offsets-on-checkpoint=false",
					"kafka-stream.sinks.out.delivery-guarantee=exactly-once",
					"kafka-stream.sinks.out.transactional-id-prefix=tx")
			.run((context) -> assertFailure(context, SOURCE + ".commit-offsets-on-checkpoint",
					"Source 'in' feeds an exactly-once sink, which commits offsets in its transactions",
					"Remove the property, or choose another delivery guarantee."));
	}

	@Test
	void doesNotCommitOffsetsOnCheckpointWhenToldSoWithAnAtLeastOnceSink() {
		this.ordersSource.withPropertyValues(SOURCE + ".commit-offsets-on-checkpoint=false")
			.run((context) -> assertThat(source(context).commitOffsets()).isFalse());
		this.ordersSource.run((context) -> assertThat(source(context).commitOffsets()).isTrue());
	}

	@Test
	void failsForValueDeserializerAndValueFormat() {
		this.ordersSource
			.withPropertyValues(SOURCE + ".value-deserializer=" + StringDeserializer.class.getName(),
					SOURCE + ".value-format=string")
			.run((context) -> assertFailure(context, SOURCE + ".value-deserializer",
					"Both '" + SOURCE + ".value-format' and '" + SOURCE + ".value-deserializer' are set",
					"Set one of them."));
	}

	@Test
	void failsForValueDeserializerNamingNeitherBeanNorClass() {
		this.ordersSource.withPropertyValues(SOURCE + ".value-deserializer=com.example.NoSuchDeserializer")
			.run((context) -> assertFailure(context, SOURCE + ".value-deserializer",
					"There is neither a bean nor a class named 'com.example.NoSuchDeserializer'",
					"Name a Deserializer bean or class, or use a format instead."));
	}

	@Test
	void failsForValueDeserializerNamingABeanThatIsNotADeserializer() {
		this.ordersSource.withBean("notADeserializer", StringBuilder.class, StringBuilder::new)
			.withPropertyValues(SOURCE + ".value-deserializer=notADeserializer")
			.run((context) -> assertFailure(context, SOURCE + ".value-deserializer",
					"Bean 'notADeserializer' is a java.lang.StringBuilder, not a Kafka Deserializer",
					"Name a Deserializer bean or class."));
	}

	@Test
	void failsForValueDeserializerNamingAClassThatIsNotADeserializer() {
		this.ordersSource.withPropertyValues(SOURCE + ".value-deserializer=java.lang.StringBuilder")
			.run((context) -> assertFailure(context, SOURCE + ".value-deserializer",
					"Class 'java.lang.StringBuilder' is not a Kafka Deserializer",
					"Name a class that implements org.apache.kafka.common.serialization.Deserializer."));
	}

	@Test
	void failsForKeyDeserializerNamingAClassThatIsNotADeserializer() {
		this.ordersSource.withPropertyValues(SOURCE + ".key-deserializer=java.lang.StringBuilder")
			.run((context) -> assertFailure(context, SOURCE + ".key-deserializer",
					"Class 'java.lang.StringBuilder' is not a Kafka Deserializer", "Name a class that implements"));
	}

	@Test
	void topicPatternSubscribesToMatchingTopics() {
		this.contextRunner.withPropertyValues(SOURCE + ".topic-pattern=orders-(eu|us)").run((context) -> {
			Subscription subscription = source(context).subscription();
			assertThat(subscription).hasToString("topics matching orders-(eu|us)");
			assertThat(subscription.usesGroup()).isTrue();
			assertThat(subscription.partitionsIn(Map.of("orders-eu", partitionInfos("orders-eu", 2), "orders-us",
					partitionInfos("orders-us", 1), "orders-asia", partitionInfos("orders-asia", 1), "orders-eu-old",
					partitionInfos("orders-eu-old", 1))))
				.containsExactlyInAnyOrder(new TopicPartition("orders-eu", 0), new TopicPartition("orders-eu", 1),
						new TopicPartition("orders-us", 0));
		});
	}

	@Test
	void partitionsAreAssignedWithoutTheGroup() {
		this.contextRunner.withPropertyValues(SOURCE + ".partitions.orders=0,2", SOURCE + ".partitions.payments=1")
			.run((context) -> {
				Subscription subscription = source(context).subscription();
				assertThat(subscription.toString()).startsWith("partitions [")
					.contains("orders-0", "orders-2", "payments-1")
					.doesNotContain("orders-1");
				assertThat(subscription.usesGroup()).isFalse();
				assertThat(subscription.partitionsIn(Map.of("orders", partitionInfos("orders", 4))))
					.containsExactlyInAnyOrder(new TopicPartition("orders", 0), new TopicPartition("orders", 2),
							new TopicPartition("payments", 1));
			});
	}

	@Test
	void topicsAreSubscribedThroughTheGroup() {
		this.contextRunner.withPropertyValues(SOURCE + ".topics=orders,payments").run((context) -> {
			Subscription subscription = source(context).subscription();
			assertThat(subscription).hasToString("topics [orders, payments]");
			assertThat(subscription.usesGroup()).isTrue();
		});
	}

	@Test
	void valueDeserializerNamesAClass() {
		this.ordersSource.withPropertyValues(SOURCE + ".value-deserializer=" + StringDeserializer.class.getName())
			.run((context) -> assertThat(source(context).valueDeserializer()).isInstanceOf(StringDeserializer.class));
	}

	@Test
	void valueDeserializerClassIsConfiguredWithTheConsumerProperties() {
		this.ordersSource
			.withPropertyValues(SOURCE + ".value-deserializer=" + ConfigurableDeserializer.class.getName(),
					SOURCE + ".properties.custom.setting=42")
			.run((context) -> {
				ConfigurableDeserializer deserializer = (ConfigurableDeserializer) source(context)
					.valueDeserializer();
				assertThat(deserializer.configs).containsEntry("custom.setting", "42");
				assertThat(deserializer.isKey).isFalse();
			});
	}

	@Test
	void valueDeserializerClassIsLoadedByTheApplicationClassLoader(@TempDir Path classes) throws Exception {
		// a class only the application's class loader sees, as with Spring Boot DevTools'
		// restart class loader or a web application's class loader
		Path source = classes.resolve("com/example/GeneratedDeserializer.java");
		Files.createDirectories(source.getParent());
		Files.writeString(source, "package com.example; public class GeneratedDeserializer implements "
				+ Deserializer.class.getName() + "<String> { public String deserialize(String topic, byte[] data) "
				+ "{ return new String(data); } }");
		String kafkaClients = Path.of(Deserializer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
			.toString();
		assertThat(ToolProvider.getSystemJavaCompiler()
			.run(null, null, null, "-classpath", kafkaClients, "-d", classes.toString(), source.toString())).isZero();
		try (URLClassLoader applicationClassLoader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
				getClass().getClassLoader())) {
			this.ordersSource.withClassLoader(applicationClassLoader)
				.withPropertyValues(SOURCE + ".value-deserializer=com.example.GeneratedDeserializer")
				.run((context) -> assertThat(source(context).valueDeserializer().getClass().getName())
					.isEqualTo("com.example.GeneratedDeserializer"));
		}
	}

	@Test
	void valueDeserializerNamesABean() {
		StringDeserializer bean = new StringDeserializer();
		this.ordersSource.withBean("textDeserializer", StringDeserializer.class, () -> bean)
			.withPropertyValues(SOURCE + ".value-deserializer=textDeserializer")
			.run((context) -> assertThat(source(context).valueDeserializer()).isSameAs(bean));
	}

	@Test
	void keyDeserializerNamesABean() {
		StringDeserializer bean = new StringDeserializer();
		this.ordersSource.withBean("keyDeserializer", StringDeserializer.class, () -> bean)
			.withPropertyValues(SOURCE + ".key-deserializer=keyDeserializer")
			.run((context) -> assertThat(source(context).keyDeserializer()).isSameAs(bean));
	}

	@Test
	void partitionDiscoveryIntervalSetsTheMetadataMaxAge() {
		this.ordersSource.withPropertyValues(SOURCE + ".partition-discovery-interval=2s")
			.run((context) -> assertThat(source(context).consumerConfig("c"))
				.containsEntry(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 2000));
		this.ordersSource.run((context) -> assertThat(source(context).consumerConfig("c"))
			.doesNotContainKey(ConsumerConfig.METADATA_MAX_AGE_CONFIG));
	}

	@Test
	void isolationLevelIsReadCommittedUnlessSetOtherwise() {
		this.ordersSource.run((context) -> assertThat(source(context).consumerConfig("c"))
			.containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
		this.ordersSource.withPropertyValues(SOURCE + ".isolation-level=read-uncommitted")
			.run((context) -> assertThat(source(context).consumerConfig("c"))
				.containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"));
		this.ordersSource.withPropertyValues(SOURCE + ".isolation-level=read_uncommitted")
			.run((context) -> assertThat(source(context).consumerConfig("c"))
				.containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"));
	}

	@Test
	void workersAreStaticMembersNamedByInstanceSourceAndWorker() {
		this.ordersSource.withPropertyValues("kafka-stream.instance-id=host-1").run((context) -> {
			KafkaSourceSpec source = source(context);
			assertThat(source.groupInstanceId("host-1", 2)).isEqualTo("host-1-in-2");
			assertThat(source.consumerConfig("c", source.groupInstanceId("host-1", 0)))
				.containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "host-1-in-0");
			assertThat(source.membershipOnClose()).isEqualTo(GroupMembershipOperation.LEAVE_GROUP);
		});
	}

	@Test
	void staticMembersKeepTheirMembershipOnShutdownWhenAsked() {
		this.ordersSource.withPropertyValues("kafka-stream.leave-group-on-shutdown=false")
			.run((context) -> assertThat(source(context).membershipOnClose())
				.isEqualTo(GroupMembershipOperation.REMAIN_IN_GROUP));
	}

	@Test
	void staticMembershipCanBeSwitchedOff() {
		this.ordersSource.withPropertyValues("kafka-stream.static-membership=false").run((context) -> {
			assertThat(source(context).groupInstanceId("host", 0)).isNull();
			assertThat(source(context).membershipOnClose()).isEqualTo(GroupMembershipOperation.DEFAULT);
		});
	}

	@Test
	void explicitPartitionsAreReadWithoutGroupMembership() {
		this.contextRunner.withPropertyValues(SOURCE + ".partitions.orders=0,1")
			.run((context) -> assertThat(source(context).groupInstanceId("host", 0)).isNull());
	}

	@Test
	void failsForAGroupInstanceIdInTheProperties() {
		this.ordersSource.withPropertyValues(SOURCE + ".properties.group.instance.id=mine")
			.run((context) -> assertFailure(context, SOURCE + ".properties.group.instance.id",
					"every worker of every source needs one of its own",
					"set 'kafka-stream.instance-id' to choose the ids"));
		this.ordersSource.withPropertyValues("kafka-stream.properties.group.instance.id=mine")
			.run((context) -> assertFailure(context, "kafka-stream.properties.group.instance.id",
					"every worker of every source needs one of its own"));
	}

	@Test
	void failsForAnInstanceIdKafkaRefusesInAGroupInstanceId() {
		this.ordersSource.withPropertyValues("kafka-stream.instance-id=host:1")
			.run((context) -> assertFailure(context, "kafka-stream.instance-id",
					"The instance id 'host:1' cannot be part of a group.instance.id",
					"or set 'kafka-stream.static-membership' to false"));
		this.ordersSource.withPropertyValues("kafka-stream.instance-id=host:1", "kafka-stream.static-membership=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void partitionsAreAssignedCooperativelyUnderTheClassicProtocol() {
		this.ordersSource.run((context) -> assertThat(source(context).consumerConfig("c"))
			.containsEntry(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
					CooperativeStickyAssignor.class.getName()));
		this.ordersSource.withPropertyValues(SOURCE + ".properties.group.protocol=classic")
			.run((context) -> assertThat(source(context).consumerConfig("c"))
				.containsEntry(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
						CooperativeStickyAssignor.class.getName()));
		this.ordersSource
			.withPropertyValues(SOURCE + ".properties.partition.assignment.strategy=" + RangeAssignor.class.getName())
			.run((context) -> assertThat(source(context).consumerConfig("c"))
				.containsEntry(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName()));
	}

	@Test
	void theConsumerGroupProtocolLeavesTheAssignmentToTheBrokers() {
		this.ordersSource.withPropertyValues("kafka-stream.properties.group.protocol=CONSUMER").run((context) -> {
			assertThat(source(context).usesConsumerGroupProtocol()).isTrue();
			assertThat(source(context).consumerConfig("c", "host-in-0"))
				.doesNotContainKeys(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
						ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)
				.containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "host-in-0");
		});
	}

	@Test
	void failsForClassicProtocolSettingsUnderTheConsumerGroupProtocol() {
		for (String property : List.of("session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy")) {
			this.ordersSource
				.withPropertyValues(SOURCE + ".properties.group.protocol=consumer",
						SOURCE + ".properties." + property + "=10000")
				.run((context) -> assertFailure(context, SOURCE + ".properties." + property,
						"Source 'in' uses group.protocol=consumer, where the brokers own " + property));
		}
		this.ordersSource
			.withPropertyValues(SOURCE + ".properties.group.protocol=consumer",
					"kafka-stream.properties.session.timeout.ms=10000")
			.run((context) -> assertFailure(context, "kafka-stream.properties.session.timeout.ms",
					"where the brokers own session.timeout.ms"));
	}

	@Test
	void clientIdPrefixIsKept() {
		this.ordersSource.withPropertyValues(SOURCE + ".client-id-prefix=billing")
			.run((context) -> assertThat(source(context).clientIdPrefix()).isEqualTo("billing"));
		this.ordersSource.run((context) -> assertThat(source(context).clientIdPrefix()).isNull());
	}

	@Test
	void timestampFormsOfTheSameInstantGiveTheSameStartingOffsets() {
		List<StartingOffsets> startingOffsets = new ArrayList<>();
		List<Long> timestampsAsked = new ArrayList<>();
		for (String timestamp : new String[] { "1714521600000", "2024-05-01T00:00:00Z", "2024-05-01T08:00:00+08:00",
				"2024-05-01 08:00:00" }) {
			this.ordersSource
				.withPropertyValues(SOURCE + ".starting-offsets=timestamp", SOURCE + ".starting-timestamp=" + timestamp,
						SOURCE + ".time-zone=Asia/Shanghai")
				.run((context) -> {
					StartingOffsets offsets = source(context).startingOffsets();
					RecordingOffsetsLookup lookup = new RecordingOffsetsLookup();
					assertThat(offsets.startOffsets(List.of(ORDERS_0), lookup)).containsEntry(ORDERS_0, 7L);
					assertThat(lookup.timestamps).hasSize(1);
					assertThat(lookup.timestamps.get(0)).containsOnlyKeys(ORDERS_0);
					timestampsAsked.add(lookup.timestamps.get(0).get(ORDERS_0));
					startingOffsets.add(offsets);
				});
		}
		assertThat(timestampsAsked).containsExactly(MAY_FIRST_UTC, MAY_FIRST_UTC, MAY_FIRST_UTC, MAY_FIRST_UTC);
		assertThat(startingOffsets).hasSize(4).allSatisfy((offsets) -> assertThat(offsets)
			.isEqualTo(startingOffsets.get(0))
			.hasToString("timestamp 2024-05-01T00:00:00Z"));
	}

	@Test
	void localTimestampIsReadInTheTimeZone() {
		this.ordersSource
			.withPropertyValues(SOURCE + ".starting-offsets=timestamp",
					SOURCE + ".starting-timestamp=2024-05-01 08:00:00", SOURCE + ".time-zone=UTC")
			.run((context) -> {
				RecordingOffsetsLookup lookup = new RecordingOffsetsLookup();
				source(context).startingOffsets().startOffsets(List.of(ORDERS_0), lookup);
				assertThat(lookup.timestamps.get(0)).containsEntry(ORDERS_0, MAY_FIRST_UTC + 8 * 3_600_000L);
			});
	}

	@Test
	void stoppingTimestampUsesTheTimeZoneToo() {
		this.ordersSource
			.withPropertyValues(SOURCE + ".stopping-offsets=timestamp",
					SOURCE + ".stopping-timestamp=2024-05-01 08:00:00", SOURCE + ".time-zone=Asia/Shanghai")
			.run((context) -> {
				KafkaSourceSpec source = source(context);
				assertThat(source.bounded()).isTrue();
				RecordingOffsetsLookup lookup = new RecordingOffsetsLookup();
				assertThat(source.stoppingOffsets().stopOffsets(List.of(ORDERS_0), lookup))
					.containsEntry(ORDERS_0, 7L);
				assertThat(lookup.timestamps.get(0)).containsEntry(ORDERS_0, MAY_FIRST_UTC);
			});
	}

	@Test
	void specificOffsetsByTopicAndPartition() {
		this.ordersSource
			.withPropertyValues(SOURCE + ".starting-offsets=specific", SOURCE + ".specific-offsets.orders.0=42",
					SOURCE + ".offset-reset-strategy=latest")
			.run((context) -> {
				RecordingOffsetsLookup lookup = new RecordingOffsetsLookup();
				assertThat(source(context).startingOffsets()
					.startOffsets(List.of(ORDERS_0, new TopicPartition("orders", 1)), lookup))
					.containsEntry(ORDERS_0, 42L)
					.containsEntry(new TopicPartition("orders", 1), RecordingOffsetsLookup.END);
			});
	}

	@Test
	void topicsWithDotsInTheirNamesAreKeyedInBrackets() {
		TopicPartition v1 = new TopicPartition("orders.v1", 0);
		this.contextRunner
			.withPropertyValues(SOURCE + ".partitions[orders.v1]=0", SOURCE + ".starting-offsets=specific",
					SOURCE + ".specific-offsets[orders.v1].0=42", SOURCE + ".stopping-offsets=specific",
					SOURCE + ".stopping-specific-offsets[orders.v1].0=99")
			.run((context) -> {
				KafkaSourceSpec source = source(context);
				assertThat(source.subscription()).hasToString("partitions [orders.v1-0]");
				RecordingOffsetsLookup lookup = new RecordingOffsetsLookup();
				assertThat(source.startingOffsets().startOffsets(List.of(v1), lookup)).containsExactly(Map.entry(v1, 42L));
				assertThat(source.stoppingOffsets().stopOffsets(List.of(v1), lookup)).containsExactly(Map.entry(v1, 99L));
			});
	}

	@Test
	void unboundedSourceWithStoppingOffsets() {
		this.ordersSource.withPropertyValues(SOURCE + ".stopping-offsets=latest", SOURCE + ".bounded=false")
			.run((context) -> {
				assertThat(source(context).stoppingOffsets()).hasToString("latest");
				assertThat(source(context).bounded()).isFalse();
			});
		this.ordersSource.run((context) -> {
			assertThat(source(context).stoppingOffsets()).isNull();
			assertThat(source(context).bounded()).isFalse();
		});
	}

	@Test
	void warnsOfAnOwnedConsumerPropertyAndReplacesIt(CapturedOutput output) {
		this.ordersSource.withPropertyValues(SOURCE + ".properties.enable.auto.commit=true",
				SOURCE + ".properties.fetch.min.bytes=1024")
			.run((context) -> {
				assertThat(source(context).consumerConfig("c"))
					.containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
					.containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1024");
				assertThat(output).contains("Ignoring 'enable.auto.commit' for " + SOURCE
						+ ": the source owns this consumer property");
				assertThat(output).doesNotContain("Ignoring 'fetch.min.bytes'");
			});
	}

	@Test
	void doesNotWarnWithoutOwnedConsumerProperties(CapturedOutput output) {
		this.ordersSource.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).doesNotContain("Ignoring '");
		});
	}

	private static KafkaSourceSpec source(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow().spec().source();
	}

	private static List<PartitionInfo> partitionInfos(String topic, int partitions) {
		List<PartitionInfo> infos = new ArrayList<>();
		for (int i = 0; i < partitions; i++) {
			infos.add(new PartitionInfo(topic, i, Node.noNode(), new Node[0], new Node[0]));
		}
		return infos;
	}

	private static PartitionInfo partitionInfo(String topic) {
		return new PartitionInfo(topic, 0, null, new Node[0], new Node[0]);
	}

	/**
	 * Answers every partition with fixed offsets and records the timestamps asked for.
	 */
	static class RecordingOffsetsLookup implements OffsetsLookup {

		static final long BEGINNING = 0;

		static final long END = 100;

		final List<Map<TopicPartition, Long>> timestamps = new ArrayList<>();

		@Override
		public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
			return offsets(partitions, BEGINNING);
		}

		@Override
		public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
			return offsets(partitions, END);
		}

		@Override
		public Map<TopicPartition, Long> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
			this.timestamps.add(Map.copyOf(timestamps));
			return offsets(timestamps.keySet(), 7);
		}

		private static Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, long offset) {
			Map<TopicPartition, Long> offsets = new HashMap<>();
			partitions.forEach((partition) -> offsets.put(partition, offset));
			return offsets;
		}

	}

	/**
	 * A deserializer that keeps how it was configured.
	 */
	public static class ConfigurableDeserializer implements Deserializer<String> {

		Map<String, Object> configs = Map.of();

		boolean isKey = true;

		@Override
		public void configure(Map<String, ?> configs, boolean isKey) {
			this.configs = new HashMap<>(configs);
			this.isKey = isKey;
		}

		@Override
		public String deserialize(String topic, byte[] data) {
			return new String(data);
		}

	}

	static class UpperCaseHandler {

		@KafkaStreamHandler(source = "in", sink = "out")
		String upperCase(String value) {
			return value.toUpperCase(Locale.ROOT);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UpperCaseConfiguration {

		@Bean
		UpperCaseHandler upperCaseHandler() {
			return new UpperCaseHandler();
		}

	}

}
