package dev.kafkastream.autoconfigure;

import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.core.SinkEmitter;
import dev.kafkastream.handler.InvalidHandlerMethodException;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.runtime.PipelineSpec;
import dev.kafkastream.sink.KafkaSinkSpec;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.kafkastream.autoconfigure.ConfigurationFailures.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for handlers that write to several sinks through a {@link SinkEmitter}:
 * {@code @KafkaStreamHandler(sinks = ...)} checked against {@code kafka-stream.sinks} at
 * start-up.
 */
class KafkaStreamSinkEmitterTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
				"kafka-stream.sources.in.topics=orders", "kafka-stream.sources.in.group-id=g");

	private final ApplicationContextRunner threeSinks = this.contextRunner.withPropertyValues(
			"kafka-stream.sinks.out.topic=out", "kafka-stream.sinks.even.topic=even",
			"kafka-stream.sinks.odd.topic=odd");

	@Test
	void pipelineHasTheDefaultSinkThenTheAdditionalSinks() {
		this.threeSinks.withPropertyValues("kafka-stream.sinks.odd.value-format=string")
			.withBean(RoutingHandler.class)
			.run((context) -> {
				PipelineSpec spec = pipeline(context);
				assertThat(spec.sink()).extracting(KafkaSinkSpec::name).isEqualTo("out");
				assertThat(spec.sinks()).extracting(KafkaSinkSpec::name).containsExactly("out", "even", "odd");
				assertThat(spec.producerSink()).isSameAs(spec.sink());
				assertThat(spec.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
				// the default sink follows the return type, emitted values follow their class
				assertThat(spec.sinks().get(0).valueSerializer()).isInstanceOf(StringSerializer.class);
				assertThat(spec.sinks().get(1).valueSerializer()).isInstanceOf(ClassDispatchingSerializer.class);
				assertThat(spec.sinks().get(2).valueSerializer()).isInstanceOf(StringSerializer.class);
			});
	}

	@Test
	void withoutDefaultSinkTheFirstAdditionalSinkConfiguresTheProducer() {
		this.contextRunner
			.withPropertyValues("kafka-stream.sinks.even.topic=even", "kafka-stream.sinks.odd.topic=odd",
					"kafka-stream.sinks.even.delivery-guarantee=exactly-once",
					"kafka-stream.sinks.even.transactional-id-prefix=even",
					"kafka-stream.sinks.odd.delivery-guarantee=exactly-once",
					"kafka-stream.sinks.odd.transactional-id-prefix=odd")
			.withBean(VoidRoutingHandler.class)
			.run((context) -> {
				PipelineSpec spec = pipeline(context);
				assertThat(spec.sink()).isNull();
				assertThat(spec.sinks()).extracting(KafkaSinkSpec::name).containsExactly("even", "odd");
				assertThat(spec.producerSink()).extracting(KafkaSinkSpec::name).isEqualTo("even");
				assertThat(spec.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
			});
	}

	@Test
	void failsForUnknownSinkInSinks() {
		this.contextRunner
			.withPropertyValues("kafka-stream.sinks.out.topic=out", "kafka-stream.sinks.even.topic=even")
			.withBean("routing", RoutingHandler.class)
			.run((context) -> assertFailure(context, "kafka-stream.sinks.odd",
					"Handler routing.route emits to sink 'odd', which is not configured",
					"Configure 'kafka-stream.sinks.odd.topic', or fix the handler's sinks."));
	}

	@Test
	void failsForSinksOfDifferentDeliveryGuarantees() {
		this.threeSinks
			.withPropertyValues("kafka-stream.sinks.out.delivery-guarantee=exactly-once",
					"kafka-stream.sinks.out.transactional-id-prefix=out",
					"kafka-stream.sinks.even.delivery-guarantee=exactly-once",
					"kafka-stream.sinks.even.transactional-id-prefix=even")
			.withBean(RoutingHandler.class)
			.run((context) -> assertFailure(context, "kafka-stream.sinks.odd.delivery-guarantee",
					"writes to sink 'out', which is exactly-once, and to sink 'odd', which is at-least-once",
					"The sinks of one handler share one producer and one transaction: give them the same delivery"
							+ " guarantee."));
	}

	@Test
	void failsForSinkEmitterWithoutSinks() {
		this.threeSinks.withBean("noSinks", EmitterWithoutSinksHandler.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidHandlerMethodException.class)
				.hasMessage("@KafkaStreamHandler method noSinks.route takes a SinkEmitter but names no sinks to emit"
						+ " to: list them in @KafkaStreamHandler(sinks = ...)"));
	}

	private static PipelineSpec pipeline(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow().spec();
	}

	static class RoutingHandler {

		@KafkaStreamHandler(source = "in", sink = "out", sinks = { "even", "odd" })
		String route(Long value, SinkEmitter emitter) {
			emitter.emit((value % 2 == 0) ? "even" : "odd", value);
			return "seen " + value;
		}

	}

	static class VoidRoutingHandler {

		@KafkaStreamHandler(source = "in", sinks = { "even", "odd" })
		void route(Long value, SinkEmitter emitter) {
			emitter.emit((value % 2 == 0) ? "even" : "odd", value);
		}

	}

	static class EmitterWithoutSinksHandler {

		@KafkaStreamHandler(source = "in", sink = "out")
		String route(Long value, SinkEmitter emitter) {
			return "seen " + value;
		}

	}

}
