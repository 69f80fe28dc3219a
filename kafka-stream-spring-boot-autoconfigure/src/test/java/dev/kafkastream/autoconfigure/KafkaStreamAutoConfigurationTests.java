package dev.kafkastream.autoconfigure;

import java.util.List;

import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.handler.KafkaStreamHandlerBeanPostProcessor;
import dev.kafkastream.runtime.KafkaClients;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.PipelineSpec;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.kafkastream.autoconfigure.ConfigurationFailures.assertFailureNames;
import static dev.kafkastream.autoconfigure.ConfigurationFailures.findCause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaStreamAutoConfiguration}.
 */
class KafkaStreamAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092");

	private final ApplicationContextRunner ordersPipeline = this.contextRunner
		.withPropertyValues("kafka-stream.sources.orders.topics=orders", "kafka-stream.sources.orders.group-id=g",
				"kafka-stream.sinks.enriched.topic=orders-enriched")
		.withUserConfiguration(EnricherConfiguration.class);

	@Test
	void buildsOnePipelinePerSourceFromProperties() {
		this.ordersPipeline.withPropertyValues("kafka-stream.sources.orders.concurrency=2").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(KafkaStreamLifecycle.class);
			KafkaStreamRuntime runtime = context.getBean(KafkaStreamLifecycle.class).getRuntime();
			assertThat(runtime.pipelines()).hasSize(1);
			PipelineSpec pipeline = runtime.pipelines().get(0).spec();
			assertThat(pipeline.name()).isEqualTo("orders");
			assertThat(pipeline.source().subscription()).hasToString("topics [orders]");
			assertThat(pipeline.source().groupId()).isEqualTo("g");
			assertThat(pipeline.source().concurrency()).isEqualTo(2);
			assertThat(pipeline.source().valueDeserializer()).isInstanceOf(JacksonJsonDeserializer.class);
			assertThat(pipeline.source().consumerConfig("c"))
				.containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092")
				.containsEntry("isolation.level", "read_committed")
				.containsEntry("enable.auto.commit", false);
			assertThat(pipeline.sink()).isNotNull();
			assertThat(pipeline.sink().topic()).isEqualTo("orders-enriched");
			assertThat(pipeline.sink().deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
			assertThat(pipeline.sink().valueSerializer()).isInstanceOf(JacksonJsonSerializer.class);
			assertThat(runtime.isRunning()).isFalse();
		});
	}

	@Test
	void infersFormatsFromTheHandlerTypes() {
		this.contextRunner
			.withPropertyValues("kafka-stream.sources.text.topics=in", "kafka-stream.sources.text.group-id=g",
					"kafka-stream.sinks.out.topic=out", "kafka-stream.sources.record.topics=in2",
					"kafka-stream.sources.record.group-id=g")
			.withUserConfiguration(TextAndRecordConfiguration.class)
			.run((context) -> {
				KafkaStreamRuntime runtime = context.getBean(KafkaStreamLifecycle.class).getRuntime();
				PipelineSpec text = runtime.pipeline("text").orElseThrow().spec();
				assertThat(text.source().valueDeserializer()).isInstanceOf(StringDeserializer.class);
				assertThat(text.source().keyDeserializer()).isInstanceOf(ByteArrayDeserializer.class);
				assertThat(text.sink().valueSerializer()).isInstanceOf(StringSerializer.class);
				PipelineSpec record = runtime.pipeline("record").orElseThrow().spec();
				assertThat(record.source().keyDeserializer()).isInstanceOf(StringDeserializer.class);
				assertThat(record.source().valueDeserializer()).isInstanceOf(LongDeserializer.class);
				assertThat(record.sink()).isNull();
			});
	}

	@Test
	void exactlyOnceSinkGetsTransactionalProducers() {
		this.ordersPipeline
			.withPropertyValues("kafka-stream.sinks.enriched.delivery-guarantee=exactly-once",
					"kafka-stream.sinks.enriched.transactional-id-prefix=enricher", "kafka-stream.instance-id=node-1")
			.run((context) -> {
				PipelineSpec pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipelines().get(0)
					.spec();
				assertThat(pipeline.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
				assertThat(pipeline.sink().producerConfig("p", "enricher-node-1-orders-0"))
					.containsEntry("transactional.id", "enricher-node-1-orders-0")
					.containsEntry("enable.idempotence", true)
					.containsEntry("acks", "all")
					.containsEntry("batch.size", 131072)
					.containsEntry("retry.backoff.ms", 5);
			});
	}

	@Test
	void producerBatchingDefaultsGiveWayToSinkProperties() {
		this.ordersPipeline
			.withPropertyValues("kafka-stream.sinks.enriched.delivery-guarantee=exactly-once",
					"kafka-stream.sinks.enriched.transactional-id-prefix=enricher",
					"kafka-stream.sinks.enriched.properties.batch.size=16384",
					"kafka-stream.sinks.enriched.properties.retry.backoff.ms=100")
			.run((context) -> {
				PipelineSpec pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipelines().get(0)
					.spec();
				assertThat(pipeline.sink().producerConfig("p", "t")).containsEntry("batch.size", "16384")
					.containsEntry("retry.backoff.ms", "100");
			});
	}

	@Test
	void isSwitchedOffByProperty() {
		this.ordersPipeline.withPropertyValues("kafka-stream.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(KafkaStreamLifecycle.class)
				.doesNotHaveBean(KafkaStreamHandlerBeanPostProcessor.class));
	}

	@Test
	void handlerBeansStayEagerUnderLazyInitialization() {
		this.ordersPipeline
			.withInitializer((context) -> context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeanFactory().getBeanDefinition("enricher").isLazyInit()).isFalse();
				assertThat(context.getBeanFactory().getBeanDefinition("kafkaStreamClients").isLazyInit()).isTrue();
				assertThat(context.getBean(KafkaStreamLifecycle.class).getRuntime().pipelines()).hasSize(1);
			});
	}

	@Test
	void backsOffWithoutKafkaClients() {
		this.ordersPipeline.withClassLoader(new FilteredClassLoader(KafkaConsumer.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaStreamLifecycle.class));
	}

	@Test
	void backsOffForUserBeans() {
		KafkaClients clients = KafkaClients.standard();
		KafkaStreamConnectionDetails details = () -> List.of("user:1234");
		this.ordersPipeline.withBean(KafkaClients.class, () -> clients)
			.withBean(KafkaStreamConnectionDetails.class, () -> details)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(KafkaClients.class)).isSameAs(clients);
				assertThat(context.getBean(KafkaStreamConnectionDetails.class)).isSameAs(details);
				assertThat(firstSourceBootstrap(context)).isEqualTo("user:1234");
			});
	}

	@Test
	void backsOffForUserLifecycle() {
		this.ordersPipeline.withUserConfiguration(UserLifecycleConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(KafkaStreamLifecycle.class)
				.isSameAs(context.getBean("userLifecycle")));
	}

	@Test
	void bootstrapServersFallBackToSpringKafkaProperty() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class,
					JacksonAutoConfiguration.class, KafkaAutoConfiguration.class))
			.withPropertyValues("kafka-stream.auto-startup=false", "spring.kafka.bootstrap-servers=boot:9093",
					"kafka-stream.sources.orders.topics=orders", "kafka-stream.sources.orders.group-id=g",
					"kafka-stream.sinks.enriched.topic=orders-enriched")
			.withUserConfiguration(EnricherConfiguration.class)
			.run((context) -> assertThat(firstSourceBootstrap(context)).isEqualTo("boot:9093"));
	}

	@Test
	void bootstrapServersFallBackToKafkaConnectionDetails() {
		KafkaConnectionDetails details = () -> List.of("service-connection:9094");
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class,
					JacksonAutoConfiguration.class, KafkaAutoConfiguration.class))
			.withBean(KafkaConnectionDetails.class, () -> details)
			.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.sources.orders.topics=orders",
					"kafka-stream.sources.orders.group-id=g", "kafka-stream.sinks.enriched.topic=orders-enriched")
			.withUserConfiguration(EnricherConfiguration.class)
			.run((context) -> assertThat(firstSourceBootstrap(context)).isEqualTo("service-connection:9094"));
	}

	@Test
	void groupIdDefaultsToApplicationName() {
		this.ordersPipeline.withPropertyValues("kafka-stream.sources.orders.group-id=", "spring.application.name=app")
			.run((context) -> assertThat(context.getBean(KafkaStreamLifecycle.class).getRuntime().pipelines().get(0)
				.spec().source().groupId()).isEqualTo("app"));
	}

	@Test
	void failsWithoutBootstrapServers() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class,
					JacksonAutoConfiguration.class, KafkaAutoConfiguration.class))
			.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.sources.orders.topics=orders",
					"kafka-stream.sources.orders.group-id=g", "kafka-stream.sinks.enriched.topic=orders-enriched")
			.withUserConfiguration(EnricherConfiguration.class)
			.run((context) -> assertFailureNames(context, "kafka-stream.bootstrap-servers"));
	}

	@Test
	void failsForExactlyOnceWithoutTransactionalIdPrefix() {
		this.ordersPipeline.withPropertyValues("kafka-stream.sinks.enriched.delivery-guarantee=exactly-once")
			.run((context) -> assertFailureNames(context, "kafka-stream.sinks.enriched.transactional-id-prefix"));
	}

	@Test
	void failsForSourceWithoutHandler() {
		this.ordersPipeline
			.withPropertyValues("kafka-stream.sources.payments.topics=payments",
					"kafka-stream.sources.payments.group-id=g")
			.run((context) -> assertFailureNames(context, "kafka-stream.sources.payments"));
	}

	@Test
	void failsForHandlerNamingUnknownSource() {
		this.contextRunner.withPropertyValues("kafka-stream.sinks.enriched.topic=orders-enriched")
			.withUserConfiguration(EnricherConfiguration.class)
			.run((context) -> assertFailureNames(context, "kafka-stream.sources.orders"));
	}

	@Test
	void failsForHandlerNamingUnknownSink() {
		this.contextRunner
			.withPropertyValues("kafka-stream.sources.orders.topics=orders", "kafka-stream.sources.orders.group-id=g")
			.withUserConfiguration(EnricherConfiguration.class)
			.run((context) -> assertFailureNames(context, "kafka-stream.sinks.enriched"));
	}

	@Test
	void failsForTwoHandlersOnOneSource() {
		this.ordersPipeline.withUserConfiguration(SecondEnricherConfiguration.class)
			.run((context) -> assertFailureNames(context, "kafka-stream.sources.orders"));
	}

	@Test
	void failsForUnknownFormat() {
		this.ordersPipeline.withPropertyValues("kafka-stream.sources.orders.value-format=avro")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("avro");
				BindException bindFailure = findCause(context.getStartupFailure(), BindException.class);
				assertThat(bindFailure.getName()).hasToString("kafka-stream.sources.orders.value-format");
				assertThat(bindFailure).hasMessageContaining("kafka-stream.sources.orders.value-format");
			});
	}

	@Test
	void failsForFormatThatDoesNotFitTheHandler() {
		this.ordersPipeline.withPropertyValues("kafka-stream.sources.orders.value-format=long")
			.run((context) -> assertFailureNames(context, "kafka-stream.sources.orders.value-format"));
	}

	@Test
	void failsForSourceWithoutTopicsOrGroup() {
		this.ordersPipeline.withPropertyValues("kafka-stream.sources.orders.topics=")
			.run((context) -> assertFailureNames(context, "kafka-stream.sources.orders.topics"));
		this.ordersPipeline.withPropertyValues("kafka-stream.sources.orders.group-id=")
			.run((context) -> assertFailureNames(context, "kafka-stream.sources.orders.group-id"));
	}

	@Test
	void failsForSinkWithoutTopic() {
		this.ordersPipeline.withPropertyValues("kafka-stream.sinks.enriched.topic=")
			.run((context) -> assertFailureNames(context, "kafka-stream.sinks.enriched.topic"));
	}

	@Test
	void failsForBadCheckpointInterval() {
		this.ordersPipeline.withPropertyValues("kafka-stream.checkpoint.interval=0s")
			.run((context) -> assertFailureNames(context, "kafka-stream.checkpoint.interval"));
	}

	@Test
	void failureAnalyzerNamesTheProperty() {
		this.ordersPipeline.withPropertyValues("kafka-stream.sinks.enriched.delivery-guarantee=exactly-once")
			.run((context) -> {
				FailureAnalysis analysis = new KafkaStreamConfigurationFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("transactional id prefix");
				assertThat(analysis.getAction())
					.contains("Fix the property 'kafka-stream.sinks.enriched.transactional-id-prefix'");
			});
	}

	private static String firstSourceBootstrap(AssertableApplicationContext context) {
		return (String) context.getBean(KafkaStreamLifecycle.class).getRuntime().pipelines().get(0).spec().source()
			.consumerConfig("c").get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
	}

	record Order(String id, int quantity) {
	}

	record EnrichedOrder(String id, int quantity, boolean large) {
	}

	static class Enricher {

		@KafkaStreamHandler(source = "orders", sink = "enriched")
		EnrichedOrder enrich(Order order) {
			return new EnrichedOrder(order.id(), order.quantity(), order.quantity() > 10);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EnricherConfiguration {

		@Bean
		Enricher enricher() {
			return new Enricher();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondEnricherConfiguration {

		@Bean
		Enricher secondEnricher() {
			return new Enricher();
		}

	}

	static class TextAndRecordHandlers {

		@KafkaStreamHandler(source = "text", sink = "out")
		List<String> words(String line) {
			return List.of(line.split(" "));
		}

		@KafkaStreamHandler(source = "record")
		void record(ConsumerRecord<String, Long> record) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TextAndRecordConfiguration {

		@Bean
		TextAndRecordHandlers handlers() {
			return new TextAndRecordHandlers();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLifecycleConfiguration {

		@Bean
		KafkaStreamLifecycle userLifecycle() {
			return new KafkaStreamLifecycle(() -> KafkaStreamRuntime.builder().build(), java.time.Duration.ZERO, false);
		}

	}

}
