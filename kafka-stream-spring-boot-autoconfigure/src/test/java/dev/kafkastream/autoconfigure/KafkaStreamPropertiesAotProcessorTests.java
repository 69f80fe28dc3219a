package dev.kafkastream.autoconfigure;

import java.util.Map;

import dev.kafkastream.sink.SinkPartitioner;
import dev.kafkastream.sink.TopicSelector;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.aot.AotServices;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The hints for the classes named in {@code kafka-stream.*} properties, registered when
 * the application is processed ahead of time.
 */
class KafkaStreamPropertiesAotProcessorTests {

	private static final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	@Test
	void isRegisteredInAotFactories() {
		assertThat(AotServices.factories().load(BeanFactoryInitializationAotProcessor.class))
			.hasAtLeastOneElementOfType(KafkaStreamPropertiesAotProcessor.class);
	}

	@Test
	void classesNamedBySourcesAndSinksAreInstantiable() {
		TestGenerationContext generated = process(Map.of(
				"kafka-stream.sources.orders.value-deserializer", OrderDeserializer.class.getName(),
				"kafka-stream.sources.orders.key-deserializer", StringDeserializer.class.getName(),
				"kafka-stream.sinks.enriched.value-serializer", LongSerializer.class.getName(),
				"kafka-stream.sinks.enriched.partitioner", ByCustomer.class.getName(),
				"kafka-stream.sinks.routed.topic-selector", ByRegion.class.getName()));
		assertInstantiable(generated, OrderDeserializer.class);
		assertInstantiable(generated, StringDeserializer.class);
		assertInstantiable(generated, LongSerializer.class);
		assertInstantiable(generated, ByCustomer.class);
		assertInstantiable(generated, ByRegion.class);
	}

	@Test
	void classesNamedInKafkaClientPropertiesAreInstantiable() {
		TestGenerationContext generated = process(Map.of("kafka-stream.sinks.enriched.properties[interceptor.classes]",
				Audit.class.getName() + ", " + OtherAudit.class.getName(),
				"kafka-stream.properties[key.deserializer]", StringDeserializer.class.getName()));
		assertInstantiable(generated, Audit.class);
		assertInstantiable(generated, OtherAudit.class);
		assertInstantiable(generated, StringDeserializer.class);
	}

	@Test
	void beanNamesKeywordsAndUnknownNamesContributeNothing() {
		DefaultListableBeanFactory beanFactory = beanFactory(Map.of("kafka-stream.sinks.enriched.partitioner",
				"round-robin", "kafka-stream.sources.orders.value-deserializer", "orderDeserializer",
				"kafka-stream.sinks.enriched.properties[acks]", "all"));
		assertThat(new KafkaStreamPropertiesAotProcessor().processAheadOfTime(beanFactory)).isNull();
	}

	@Test
	void invalidPropertiesContributeNothingAndAreLeftToTheStart() {
		DefaultListableBeanFactory beanFactory = beanFactory(Map.of("kafka-stream.checkpoint.interval", "soon",
				"kafka-stream.sources.orders.value-deserializer", OrderDeserializer.class.getName()));
		assertThat(new KafkaStreamPropertiesAotProcessor().processAheadOfTime(beanFactory)).isNull();
	}

	private static TestGenerationContext process(Map<String, Object> properties) {
		BeanFactoryInitializationAotContribution contribution = new KafkaStreamPropertiesAotProcessor()
			.processAheadOfTime(beanFactory(properties));
		assertThat(contribution).isNotNull();
		TestGenerationContext generationContext = new TestGenerationContext();
		contribution.applyTo(generationContext, mock());
		return generationContext;
	}

	private static DefaultListableBeanFactory beanFactory(Map<String, Object> properties) {
		MockEnvironment environment = new MockEnvironment();
		properties.forEach((name, value) -> environment.setProperty(name, value.toString()));
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME, environment);
		return beanFactory;
	}

	private static void assertInstantiable(TestGenerationContext generated, Class<?> type) {
		assertThat(reflection.onType(type).withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS))
			.accepts(generated.getRuntimeHints());
	}

	static class OrderDeserializer implements Deserializer<Object> {

		@Override
		public Object deserialize(String topic, byte[] data) {
			return data;
		}

	}

	abstract static class ByCustomer implements SinkPartitioner {

	}

	abstract static class ByRegion implements TopicSelector {

	}

	abstract static class Audit implements ProducerInterceptor<Object, Object> {

		@Override
		public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
			return record;
		}

		@Override
		public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
		}

	}

	abstract static class OtherAudit extends Audit {

	}

}
