package dev.kafkastream.handler;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.kafkastream.core.RecordContext;
import dev.kafkastream.core.SinkEmitter;
import dev.kafkastream.runtime.BatchOutput;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the batch form of {@link HandlerMethod} and {@link MethodBatchHandler}: which
 * parameters and return types a batch method may have, the arguments it receives for a
 * batch, and how what it returns maps to the input records.
 */
class BatchHandlerMethodTests {

	private final List<ConsumerRecord<Object, Object>> records = List.of(record(0, "k-0", 10L), record(1, "k-1", null),
			record(2, null, 12L));

	@Test
	@SuppressWarnings("unchecked")
	void listOfValuesTakesEachRecordsValue() {
		HandlerMethod handler = handlerMethod(new Values(), "handle");
		assertThat(handler.batch()).isTrue();
		assertThat(handler.arguments()).containsExactly(HandlerArgument.VALUE);
		assertThat(handler.valueType().toClass()).isEqualTo(Long.class);
		assertThat(handler.outputType().toClass()).isEqualTo(String.class);
		@Nullable Object[] arguments = handler.resolveBatchArguments(this.records, SinkEmitterStub.NONE);
		assertThat(arguments).hasSize(1);
		assertThat((List<Object>) arguments[0]).containsExactly(10L, null, 12L);
	}

	@Test
	@SuppressWarnings("unchecked")
	void listOfRecordsGivesKeyAndValueTypes() {
		HandlerMethod handler = handlerMethod(new Records(), "handle");
		assertThat(handler.arguments()).containsExactly(HandlerArgument.EMITTER, HandlerArgument.RECORD);
		assertThat(handler.keyType().toClass()).isEqualTo(String.class);
		assertThat(handler.valueType().toClass()).isEqualTo(Long.class);
		assertThat(handler.returnsValues()).isFalse();
		@Nullable Object[] arguments = handler.resolveBatchArguments(this.records, SinkEmitterStub.NONE);
		assertThat(arguments[0]).isSameAs(SinkEmitterStub.NONE);
		assertThat((List<Object>) arguments[1]).containsExactlyElementsOf(this.records);
	}

	@Test
	void listParameterWithoutBatchIsOneRecordsValue() {
		HandlerMethod handler = handlerMethod(new JsonArray(), "handle");
		assertThat(handler.batch()).isFalse();
		assertThat(handler.arguments()).containsExactly(HandlerArgument.VALUE);
		assertThat(handler.valueType().toString()).isEqualTo("java.util.List<java.lang.Long>");
	}

	@Test
	void batchMethodTakingOneRecordsPartsFails() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "context"))
			.isInstanceOf(InvalidHandlerMethodException.class)
			.withMessageContaining("handlers.context takes records in batches but its parameter 'context'")
			.withMessageContaining("take a List<ConsumerRecord<K, V>>");
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "keys"))
			.withMessageContaining("its parameter 'keys'");
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "set"))
			.withMessageContaining("its parameter 'values' (java.util.Set<java.lang.Long>)");
	}

	@Test
	void batchMethodReturningOneValueFails() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "single"))
			.withMessageContaining("handlers.single takes records in batches but returns java.lang.String")
			.withMessageContaining("returns a List (or another Iterable or a Stream) of outputs, or void");
	}

	@Test
	void batchMethodTakingNoListFails() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "emitterOnly"))
			.withMessageContaining("handlers.emitterOnly takes records in batches but no List of them");
	}

	@Test
	void batchMethodTakingTwoListsFails() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "twoLists"))
			.withMessageContaining("takes the record value twice");
	}

	@Test
	void listOfOneOutputPerRecordMapsThemOneToOne() throws Exception {
		RecordingOutput output = handle(new Values(), "handle");
		assertThat(output.emitted).containsExactly("0:10", "1:null", "2:12");
	}

	@Test
	void listOfAnotherSizeIsForTheBatch() throws Exception {
		RecordingOutput output = handle(new Values(), "sum");
		assertThat(output.emitted).containsExactly("batch:22");
	}

	@Test
	void streamIsForTheBatch() throws Exception {
		RecordingOutput output = handle(new Values(), "stream");
		assertThat(output.emitted).containsExactly("batch:10", "batch:null", "batch:12");
	}

	@Test
	void emitterWritesForTheBatch() throws Exception {
		RecordingOutput output = handle(new Records(), "handle");
		assertThat(output.emitted).containsExactly("other:k-0", "other:k-1", "other:null");
	}

	@Test
	void exceptionOfTheMethodIsThrownAsIs() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> handle(new Values(), "failing"))
			.withMessage("failed on 3");
	}

	private RecordingOutput handle(Object bean, String name) throws Exception {
		RecordingOutput output = new RecordingOutput();
		new MethodBatchHandler(handlerMethod(bean, name)).handle(this.records, output);
		return output;
	}

	private static ConsumerRecord<Object, Object> record(long offset, @Nullable String key, @Nullable Long value) {
		return new ConsumerRecord<>("orders", 0, offset, 1_700_000_000_000L + offset, TimestampType.CREATE_TIME, -1,
				-1, key, value, new RecordHeaders(), Optional.empty());
	}

	private static HandlerMethod handlerMethod(Object bean, String name) {
		Method method = ReflectionUtils.findMethod(bean.getClass(), name, (Class<?>[]) null);
		assertThat(method).as(name).isNotNull();
		return new HandlerMethod(bean, "handlers", method, method.getAnnotation(KafkaStreamHandler.class));
	}

	static class Values {

		@KafkaStreamHandler(source = "in", sink = "out", batch = true)
		List<String> handle(List<Long> values) {
			return values.stream().map(String::valueOf).toList();
		}

		@KafkaStreamHandler(source = "in", sink = "out", batch = true)
		List<Long> sum(List<@Nullable Long> values) {
			return List.of(values.stream().mapToLong((value) -> (value != null) ? value : 0).sum());
		}

		@KafkaStreamHandler(source = "in", sink = "out", batch = true)
		Stream<@Nullable Long> stream(List<@Nullable Long> values) {
			return values.stream();
		}

		@KafkaStreamHandler(source = "in", sink = "out", batch = true)
		Iterable<String> failing(List<Long> values) {
			throw new IllegalStateException("failed on " + values.size());
		}

	}

	static class Records {

		@KafkaStreamHandler(source = "in", sinks = "other", batch = true)
		void handle(SinkEmitter emitter, List<ConsumerRecord<String, Long>> records) {
			for (ConsumerRecord<String, Long> record : records) {
				emitter.emit("other", record.key());
			}
		}

	}

	static class JsonArray {

		@KafkaStreamHandler(source = "in", sink = "out")
		String handle(List<Long> values) {
			return values.toString();
		}

	}

	static class Invalid {

		@KafkaStreamHandler(source = "in", batch = true)
		void context(List<Long> values, RecordContext context) {
		}

		@KafkaStreamHandler(source = "in", batch = true)
		void keys(List<Long> values, @RecordKey List<String> keys) {
		}

		@KafkaStreamHandler(source = "in", batch = true)
		void set(Set<Long> values) {
		}

		@KafkaStreamHandler(source = "in", sink = "out", batch = true)
		String single(List<Long> values) {
			return "";
		}

		@KafkaStreamHandler(source = "in", sinks = "other", batch = true)
		void emitterOnly(SinkEmitter emitter) {
		}

		@KafkaStreamHandler(source = "in", batch = true)
		void twoLists(List<Long> values, List<Long> more) {
		}

	}

	enum SinkEmitterStub implements SinkEmitter {

		NONE;

		@Override
		public void emit(String sink, @Nullable Object value) {
			throw new IllegalArgumentException(sink);
		}

	}

	static final class RecordingOutput implements BatchOutput {

		final List<String> emitted = new ArrayList<>();

		@Override
		public void emit(int index, @Nullable Object value) {
			this.emitted.add(index + ":" + value);
		}

		@Override
		public void emit(@Nullable Object value) {
			this.emitted.add("batch:" + value);
		}

		@Override
		public void emit(String sink, @Nullable Object value) {
			this.emitted.add(sink + ":" + value);
		}

	}

}
