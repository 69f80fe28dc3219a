package dev.kafkastream.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.sink.SinkPartitioner;
import dev.kafkastream.sink.TopicSelector;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.kafkastream.autoconfigure.ConfigurationFailures.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the sink properties, {@code kafka-stream.sinks.<name>.*}: how
 * {@link KafkaStreamAutoConfiguration} turns them into a {@link KafkaSinkSpec}, and the
 * property it names for each mistake.
 */
class KafkaStreamSinkPropertiesTests {

	private static final String SINK = "kafka-stream.sinks.out";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
				"kafka-stream.sources.in.topics=orders", "kafka-stream.sources.in.group-id=g");

	private final ApplicationContextRunner upperCase = this.contextRunner.withPropertyValues(SINK + ".topic=out")
		.withUserConfiguration(UpperCaseConfiguration.class);

	private final ApplicationContextRunner keyed = this.contextRunner.withPropertyValues(SINK + ".topic=out")
		.withUserConfiguration(KeyedConfiguration.class);

	@Test
	void defaults() {
		this.upperCase.run((context) -> {
			KafkaSinkSpec sink = sink(context);
			assertThat(sink.topic()).isEqualTo("out");
			assertThat(sink.topicSelector()).isNull();
			assertThat(sink.partitioner()).isNull();
			assertThat(sink.writeTimestamp()).isTrue();
			assertThat(sink.copyHeaders()).isFalse();
			assertThat(sink.valueSerializer()).isInstanceOf(StringSerializer.class);
			assertThat(sink.keySerializer()).isInstanceOf(ClassDispatchingSerializer.class);
		});
	}

	@Test
	void failsWithoutTopicOrTopicSelector() {
		this.contextRunner.withUserConfiguration(UpperCaseConfiguration.class)
			.withPropertyValues(SINK + ".delivery-guarantee=none")
			.run((context) -> assertFailure(context, SINK + ".topic", "Sink 'out' has no topic",
					"Set the topic to write to, or a topic selector."));
	}

	@Test
	void failsForKeyFormatAndKeySerializer() {
		this.keyed.withPropertyValues(SINK + ".key-format=string", SINK + ".key-serializer=" + StringSerializer.class.getName())
			.run((context) -> assertFailure(context, SINK + ".key-serializer",
					"Both '" + SINK + ".key-format' and '" + SINK + ".key-serializer' are set", "Set one of them."));
	}

	@Test
	void failsForValueFormatAndValueSerializer() {
		this.upperCase
			.withPropertyValues(SINK + ".value-format=string",
					SINK + ".value-serializer=" + StringSerializer.class.getName())
			.run((context) -> assertFailure(context, SINK + ".value-serializer",
					"Both '" + SINK + ".value-format' and '" + SINK + ".value-serializer' are set",
					"Set one of them."));
	}

	@Test
	void failsForUnknownSerializer() {
		this.upperCase.withPropertyValues(SINK + ".value-serializer=com.example.Missing")
			.run((context) -> assertFailure(context, SINK + ".value-serializer",
					"There is neither a bean nor a class named 'com.example.Missing'",
					"Name a bean or class implementing org.apache.kafka.common.serialization.Serializer."));
	}

	@Test
	void failsForSerializerClassThatIsNoSerializer() {
		this.keyed.withPropertyValues(SINK + ".key-serializer=java.lang.StringBuilder")
			.run((context) -> assertFailure(context, SINK + ".key-serializer",
					"Class 'java.lang.StringBuilder' is not a org.apache.kafka.common.serialization.Serializer",
					"Name a class that implements org.apache.kafka.common.serialization.Serializer."));
	}

	@Test
	void failsForSerializerBeanThatIsNoSerializer() {
		this.upperCase.withUserConfiguration(RoutingBeansConfiguration.class)
			.withPropertyValues(SINK + ".value-serializer=evenOdd")
			.run((context) -> assertFailure(context, SINK + ".value-serializer",
					"Bean 'evenOdd' is a " + EvenOddTopics.class.getName()
							+ ", not a org.apache.kafka.common.serialization.Serializer",
					"Name a bean or class implementing org.apache.kafka.common.serialization.Serializer."));
	}

	@Test
	void failsForKeyFormatThatDoesNotFitTheOutputRecordKeyType() {
		this.keyed.withPropertyValues(SINK + ".key-format=long")
			.run((context) -> assertFailure(context, SINK + ".key-format",
					"Format 'long' does not fit java.lang.String of handler keyedHandler.handle",
					"Use string, or change the handler's type."));
	}

	@Test
	void failsForValueFormatThatDoesNotFitTheOutputRecordValueType() {
		this.keyed.withPropertyValues(SINK + ".value-format=uuid")
			.run((context) -> assertFailure(context, SINK + ".value-format",
					"Format 'uuid' does not fit java.lang.Long of handler keyedHandler.handle",
					"Use long, or change the handler's type."));
	}

	@Test
	void failsForUnknownPartitioner() {
		this.upperCase.withPropertyValues(SINK + ".partitioner=sticky")
			.run((context) -> assertFailure(context, SINK + ".partitioner",
					"There is neither a bean nor a class named 'sticky'",
					"Name a bean or class implementing dev.kafkastream.sink.SinkPartitioner."));
	}

	@Test
	void failsForEmptyPartitioner() {
		this.upperCase.withPropertyValues(SINK + ".partitioner=")
			.run((context) -> assertFailure(context, SINK + ".partitioner", "The partitioner is empty",
					"Set 'default', 'fixed', 'round-robin' or the name of a SinkPartitioner bean."));
	}

	@Test
	void failsForPartitionerBeanOfAnotherType() {
		this.upperCase.withUserConfiguration(RoutingBeansConfiguration.class)
			.withPropertyValues(SINK + ".partitioner=evenOdd")
			.run((context) -> assertFailure(context, SINK + ".partitioner",
					"Bean 'evenOdd' is a " + EvenOddTopics.class.getName() + ", not a "
							+ SinkPartitioner.class.getName(),
					"Name a bean or class implementing dev.kafkastream.sink.SinkPartitioner."));
	}

	@Test
	void failsForUnknownTopicSelector() {
		this.upperCase.withPropertyValues(SINK + ".topic-selector=byRegion")
			.run((context) -> assertFailure(context, SINK + ".topic-selector",
					"There is neither a bean nor a class named 'byRegion'",
					"Name a bean or class implementing dev.kafkastream.sink.TopicSelector."));
	}

	@Test
	void keyAndValueFormatsSuitTheOutputRecordTypes() {
		this.keyed.run((context) -> {
			KafkaSinkSpec sink = sink(context);
			assertThat(sink.keySerializer()).isInstanceOf(StringSerializer.class);
			assertThat(sink.valueSerializer()).isInstanceOf(LongSerializer.class);
		});
	}

	@Test
	void configuredKeyAndValueFormats() {
		this.upperCase.withPropertyValues(SINK + ".key-format=bytes", SINK + ".value-format=json").run((context) -> {
			KafkaSinkSpec sink = sink(context);
			assertThat(sink.keySerializer()).isInstanceOf(ByteArraySerializer.class);
			assertThat(sink.valueSerializer()).isInstanceOf(JacksonJsonSerializer.class);
			assertThat(sink.valueSerializer().serialize("out", "a")).asString(StandardCharsets.UTF_8)
				.isEqualTo("\"a\"");
		});
	}

	@Test
	void keysOfUndeclaredTypeAreSerializedByTheirClass() {
		this.upperCase.run((context) -> {
			Serializer<Object> keys = sink(context).keySerializer();
			assertThat(keys.serialize("out", "k")).asString(StandardCharsets.UTF_8).isEqualTo("k");
			assertThat(keys.serialize("out", 7L)).isEqualTo(new LongSerializer().serialize("out", 7L));
			assertThat(keys.serialize("out", new byte[] { 1, 2 })).containsExactly(1, 2);
			UUID uuid = UUID.randomUUID();
			assertThat(keys.serialize("out", uuid)).asString(StandardCharsets.UTF_8).isEqualTo(uuid.toString());
			assertThat(keys.serialize("out", Map.of("id", 1))).asString(StandardCharsets.UTF_8)
				.isEqualTo("{\"id\":1}");
		});
	}

	@Test
	void serializerClassIsInstantiatedAndConfigured() {
		this.keyed
			.withPropertyValues(SINK + ".key-serializer=" + ConfigurableSerializer.class.getName(),
					SINK + ".properties.linger.ms=20")
			.run((context) -> {
				KafkaSinkSpec sink = sink(context);
				assertThat(sink.keySerializer()).isInstanceOf(ConfigurableSerializer.class);
				ConfigurableSerializer serializer = (ConfigurableSerializer) sink.keySerializer();
				assertThat(serializer.isKey).isTrue();
				assertThat(serializer.configs).containsEntry(ProducerConfig.LINGER_MS_CONFIG, "20")
					.containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
				assertThat(sink.valueSerializer()).isInstanceOf(LongSerializer.class);
			});
	}

	@Test
	void serializerBeanIsUsedAsItIs() {
		this.upperCase.withUserConfiguration(RoutingBeansConfiguration.class)
			.withPropertyValues(SINK + ".value-serializer=shouting")
			.run((context) -> {
				ConfigurableSerializer bean = context.getBean("shouting", ConfigurableSerializer.class);
				assertThat(sink(context).valueSerializer()).isSameAs(bean);
				assertThat(bean.configs).isEmpty();
			});
	}

	@Test
	void defaultPartitionerLeavesTheChoiceToTheProducer() {
		this.upperCase.withPropertyValues(SINK + ".partitioner=default")
			.run((context) -> assertThat(sink(context).partitioner()).isNull());
	}

	@Test
	void fixedPartitionerWritesEachWorkerToOnePartition() {
		this.upperCase.withPropertyValues(SINK + ".partitioner=fixed").run((context) -> {
			SinkPartitioner partitioner = sink(context).partitioner();
			assertThat(partitioner).hasToString("fixed");
			assertThat(partitioner.partition("out", "a", "x", 0, 3)).isZero();
			assertThat(partitioner.partition("out", "b", "y", 0, 3)).isZero();
			assertThat(partitioner.partition("out", "a", "x", 1, 3)).isOne();
			assertThat(partitioner.partition("out", "a", "x", 4, 3)).isOne();
		});
	}

	@Test
	void roundRobinPartitionerSpreadsRecords() {
		this.upperCase.withPropertyValues(SINK + ".partitioner=Round-Robin").run((context) -> {
			SinkPartitioner partitioner = sink(context).partitioner();
			assertThat(partitioner).hasToString("round-robin");
			assertThat(new int[] { partitioner.partition("out", "a", "x", 0, 3),
					partitioner.partition("out", "a", "x", 0, 3), partitioner.partition("out", "a", "x", 1, 3),
					partitioner.partition("out", "a", "x", 0, 3) })
				.containsExactly(0, 1, 2, 0);
		});
	}

	@Test
	void partitionerBean() {
		this.upperCase.withUserConfiguration(RoutingBeansConfiguration.class)
			.withPropertyValues(SINK + ".partitioner=lastPartition")
			.run((context) -> assertThat(sink(context).partitioner())
				.isSameAs(context.getBean("lastPartition", SinkPartitioner.class)));
	}

	@Test
	void partitionerClass() {
		this.upperCase.withPropertyValues(SINK + ".partitioner=" + LastPartition.class.getName())
			.run((context) -> assertThat(sink(context).partitioner()).isInstanceOf(LastPartition.class));
	}

	@Test
	void topicSelectorBeanWithoutTopic() {
		this.contextRunner.withUserConfiguration(UpperCaseConfiguration.class, RoutingBeansConfiguration.class)
			.withPropertyValues(SINK + ".topic-selector=evenOdd")
			.run((context) -> {
				KafkaSinkSpec sink = sink(context);
				assertThat(sink.topic()).isNull();
				assertThat(sink.topicSelector()).isSameAs(context.getBean(EvenOddTopics.class));
			});
	}

	@Test
	void timestampsAndHeaders() {
		this.upperCase.withPropertyValues(SINK + ".write-timestamp=false", SINK + ".copy-headers=true")
			.run((context) -> {
				assertThat(sink(context).writeTimestamp()).isFalse();
				assertThat(sink(context).copyHeaders()).isTrue();
			});
	}

	private static KafkaSinkSpec sink(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		KafkaSinkSpec sink = context.getBean(KafkaStreamLifecycle.class)
			.getRuntime()
			.pipeline("in")
			.orElseThrow()
			.spec()
			.sink();
		assertThat(sink).isNotNull();
		return sink;
	}

	/**
	 * A serializer that keeps how it was configured.
	 */
	public static class ConfigurableSerializer implements Serializer<Object> {

		Map<String, Object> configs = Map.of();

		boolean isKey;

		@Override
		public void configure(Map<String, ?> configs, boolean isKey) {
			this.configs = new HashMap<>(configs);
			this.isKey = isKey;
		}

		@Override
		public byte[] serialize(String topic, Object data) {
			return data.toString().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
		}

	}

	/**
	 * Writes every record to the last partition.
	 */
	public static class LastPartition implements SinkPartitioner {

		@Override
		public int partition(String topic, @Nullable Object key, @Nullable Object value, int workerIndex,
				int partitionCount) {
			return partitionCount - 1;
		}

	}

	/**
	 * Even values to one topic, odd ones to another.
	 */
	static class EvenOddTopics implements TopicSelector {

		@Override
		public String topic(@Nullable Object key, @Nullable Object value) {
			return (value != null && value.toString().length() % 2 == 0) ? "even" : "odd";
		}

	}

	static class UpperCaseHandler {

		@KafkaStreamHandler(source = "in", sink = "out")
		String upperCase(String value) {
			return value.toUpperCase(Locale.ROOT);
		}

	}

	static class KeyedHandler {

		@KafkaStreamHandler(source = "in", sink = "out")
		OutputRecord<String, Long> handle(String value) {
			return OutputRecord.of(value, (long) value.length());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UpperCaseConfiguration {

		@Bean
		UpperCaseHandler upperCaseHandler() {
			return new UpperCaseHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class KeyedConfiguration {

		@Bean
		KeyedHandler keyedHandler() {
			return new KeyedHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RoutingBeansConfiguration {

		@Bean
		EvenOddTopics evenOdd() {
			return new EvenOddTopics();
		}

		@Bean
		SinkPartitioner lastPartition() {
			return new LastPartition();
		}

		@Bean
		ConfigurableSerializer shouting() {
			return new ConfigurableSerializer();
		}

	}

}
