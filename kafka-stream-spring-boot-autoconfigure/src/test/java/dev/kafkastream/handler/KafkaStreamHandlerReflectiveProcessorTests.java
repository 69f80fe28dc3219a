package dev.kafkastream.handler;

import java.util.List;

import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.core.RecordContext;
import dev.kafkastream.core.SinkEmitter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints {@code @KafkaStreamHandler} methods get through their {@code @Reflective}
 * meta-annotation, as Spring's AOT processing registers them for every bean class.
 */
class KafkaStreamHandlerReflectiveProcessorTests {

	private static final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	private final RuntimeHints hints = new RuntimeHints();

	@Test
	void handlerMethodIsInvocable() {
		register(ValueHandler.class);
		assertThat(reflection.onMethodInvocation(ValueHandler.class, "enrich")).accepts(this.hints);
	}

	@Test
	void valueAndOutputTypesAreBoundToJson() {
		register(ValueHandler.class);
		assertThat(reflection.onType(Order.class)).accepts(this.hints);
		assertThat(reflection.onMethodInvocation(Order.class, "id")).accepts(this.hints);
		assertThat(reflection.onMethodInvocation(Enriched.class, "total")).accepts(this.hints);
	}

	@Test
	void keyTypeIsBoundToJson() {
		register(KeyedHandler.class);
		assertThat(reflection.onMethodInvocation(CustomerKey.class, "customer")).accepts(this.hints);
	}

	@Test
	void consumerRecordGenericsAndOutputRecordGenericsAreBoundButNotTheStartersTypes() {
		register(RecordHandler.class);
		assertThat(reflection.onMethodInvocation(CustomerKey.class, "customer")).accepts(this.hints);
		assertThat(reflection.onMethodInvocation(Order.class, "id")).accepts(this.hints);
		assertThat(reflection.onMethodInvocation(Enriched.class, "total")).accepts(this.hints);
		assertThat(reflection.onType(ConsumerRecord.class)).rejects(this.hints);
		assertThat(reflection.onType(OutputRecord.class)).rejects(this.hints);
		assertThat(reflection.onType(Headers.class)).rejects(this.hints);
		assertThat(reflection.onType(RecordContext.class)).rejects(this.hints);
		assertThat(reflection.onType(SinkEmitter.class)).rejects(this.hints);
	}

	@Test
	void elementTypeOfAnIterableOutputIsBoundToJson() {
		register(SplittingHandler.class);
		assertThat(reflection.onMethodInvocation(SplittingHandler.class, "split")).accepts(this.hints);
		assertThat(reflection.onMethodInvocation(Enriched.class, "total")).accepts(this.hints);
	}

	@Test
	void otherMethodsAreNotHinted() {
		register(ValueHandler.class);
		assertThat(reflection.onMethodInvocation(ValueHandler.class, "helper")).rejects(this.hints);
	}

	private void register(Class<?> type) {
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, type);
	}

	record Order(String id, int quantity) {
	}

	record Enriched(String id, double total) {
	}

	record CustomerKey(String customer) {
	}

	static class ValueHandler {

		@KafkaStreamHandler(source = "orders", sink = "enriched")
		Enriched enrich(Order order) {
			return new Enriched(order.id(), order.quantity());
		}

		Enriched helper(Order order) {
			return enrich(order);
		}

	}

	static class KeyedHandler {

		@KafkaStreamHandler(source = "orders")
		void handle(@RecordKey CustomerKey key, Order order, Headers headers, RecordContext context) {
		}

	}

	static class RecordHandler {

		@KafkaStreamHandler(source = "orders", sink = "enriched", sinks = "audit")
		OutputRecord<String, Enriched> handle(ConsumerRecord<CustomerKey, Order> record, SinkEmitter emitter) {
			return null;
		}

	}

	static class SplittingHandler {

		@KafkaStreamHandler(source = "orders", sink = "enriched")
		List<Enriched> split(Order order) {
			return List.of();
		}

	}

}
