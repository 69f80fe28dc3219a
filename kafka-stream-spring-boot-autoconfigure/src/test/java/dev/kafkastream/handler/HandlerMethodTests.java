package dev.kafkastream.handler;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.core.RecordContext;
import dev.kafkastream.core.SinkEmitter;
import dev.kafkastream.runtime.RecordOutput;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link HandlerMethod}: which parameters a handler method may take, and the
 * arguments it receives for a record.
 */
class HandlerMethodTests {

	private final Headers headers = new RecordHeaders().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));

	private final ConsumerRecord<Object, Object> record = new ConsumerRecord<>("orders", 2, 41L, 1_700_000_000_123L,
			TimestampType.LOG_APPEND_TIME, 3, 2, "k-7", 42L, this.headers, Optional.empty());

	@Test
	void valueOnly() {
		HandlerMethod handler = handlerMethod(new ValueOnly(), "handle");
		assertThat(handler.arguments()).containsExactly(HandlerArgument.VALUE);
		assertThat(handler.keyType()).isSameAs(ResolvableType.NONE);
		assertThat(handler.valueType().toClass()).isEqualTo(Long.class);
		assertThat(handler.resolveArguments(this.record)).containsExactly(42L);
	}

	@Test
	void everyKindOfParameterInAnyOrder() {
		HandlerMethod handler = handlerMethod(new EveryKind(), "handle");
		assertThat(handler.arguments()).containsExactly(HandlerArgument.CONTEXT, HandlerArgument.HEADERS,
				HandlerArgument.KEY, HandlerArgument.RECORD, HandlerArgument.VALUE);
		assertThat(handler.keyType().toClass()).isEqualTo(String.class);
		assertThat(handler.valueType().toClass()).isEqualTo(Long.class);
		@Nullable Object[] arguments = handler.resolveArguments(this.record);
		assertThat(arguments).hasSize(5);
		assertThat(arguments[0]).isEqualTo(
				new RecordContext("orders", 2, 41L, 1_700_000_000_123L, TimestampType.LOG_APPEND_TIME));
		assertThat(arguments[1]).isSameAs(this.headers);
		assertThat(arguments[2]).isEqualTo("k-7");
		assertThat(arguments[3]).isSameAs(this.record);
		assertThat(arguments[4]).isEqualTo(42L);
	}

	@Test
	void keyWithoutValueDrivesTheKeyTypeAndNeedsNoValue() {
		HandlerMethod handler = handlerMethod(new KeyAndHeaders(), "handle");
		assertThat(handler.arguments()).containsExactly(HandlerArgument.HEADERS, HandlerArgument.KEY);
		assertThat(handler.keyType().toClass()).isEqualTo(String.class);
		assertThat(handler.valueType()).isSameAs(ResolvableType.NONE);
		assertThat(handler.resolveArguments(this.record)).containsExactly(this.headers, "k-7");
	}

	@Test
	void recordAloneGivesKeyAndValueTypes() {
		HandlerMethod handler = handlerMethod(new RecordOnly(), "handle");
		assertThat(handler.arguments()).containsExactly(HandlerArgument.RECORD);
		assertThat(handler.keyType().toClass()).isEqualTo(String.class);
		assertThat(handler.valueType().toClass()).isEqualTo(Long.class);
		assertThat(handler.resolveArguments(this.record)).containsExactly(this.record);
	}

	@Test
	void contextAloneNeedsNeitherKeyNorValue() {
		HandlerMethod handler = handlerMethod(new ContextOnly(), "handle");
		assertThat(handler.keyType()).isSameAs(ResolvableType.NONE);
		assertThat(handler.valueType()).isSameAs(ResolvableType.NONE);
		assertThat(handler.resolveArguments(this.record)).containsExactly(RecordContext.of(this.record));
	}

	@Test
	void keyParameterAgreesWithWildcardOrBoxedRecordTypes() {
		HandlerMethod wildcard = handlerMethod(new KeyAndWildcardRecord(), "handle");
		assertThat(wildcard.keyType().toClass()).isEqualTo(String.class);
		assertThat(wildcard.valueType().toClass()).isEqualTo(Object.class);
		HandlerMethod primitive = handlerMethod(new PrimitiveKeyAndRecord(), "handle");
		assertThat(primitive.keyType().toClass()).isEqualTo(long.class);
		assertThat(primitive.valueType().toClass()).isEqualTo(Long.class);
	}

	@Test
	void nullKeyIsPassedToAnObjectParameter() {
		ConsumerRecord<Object, Object> keyless = new ConsumerRecord<>("orders", 0, 0L, null, "v");
		assertThat(handlerMethod(new KeyAndHeaders(), "handle").resolveArguments(keyless))
			.containsExactly(keyless.headers(), null);
	}

	@Test
	void nullKeyCannotBePassedToAPrimitiveParameter() {
		ConsumerRecord<Object, Object> keyless = new ConsumerRecord<>("orders", 0, 0L, null, 42L);
		HandlerMethod handler = handlerMethod(new PrimitiveKeyAndRecord(), "handle");
		assertThatIllegalArgumentException().isThrownBy(() -> handler.resolveArguments(keyless))
			.withMessage("Handler handlers.handle cannot take the @RecordKey key, which is null,"
					+ " as its primitive parameter 'key'");
	}

	@Test
	void typesOfAGenericSuperclassAreResolvedAgainstTheBeanClass() {
		HandlerMethod handler = handlerMethod(new StringKeys(), "handle");
		assertThat(handler.keyType().toClass()).isEqualTo(String.class);
		assertThat(handler.valueType().toClass()).isEqualTo(Long.class);
		assertThat(handler.outputType().toClass()).isEqualTo(String.class);
	}

	@Test
	void returnTypes() {
		assertThat(handlerMethod(new ValueOnly(), "handle").returnsValues()).isTrue();
		assertThat(handlerMethod(new ValueOnly(), "handle").returnsMany()).isFalse();
		assertThat(handlerMethod(new ContextOnly(), "handle").returnsValues()).isFalse();
		HandlerMethod many = handlerMethod(new Many(), "handle");
		assertThat(many.returnsMany()).isTrue();
		assertThat(many.outputType().toClass()).isEqualTo(Integer.class);
		assertThat(many.outputKeyType()).isEqualTo(ResolvableType.NONE);
	}

	@Test
	void outputRecordTypesAreTheKeyAndValueTypes() {
		HandlerMethod one = handlerMethod(new OutputRecords(), "one");
		assertThat(one.returnsMany()).isFalse();
		assertThat(one.outputKeyType().toClass()).isEqualTo(Long.class);
		assertThat(one.outputType().toClass()).isEqualTo(String.class);
		HandlerMethod many = handlerMethod(new OutputRecords(), "many");
		assertThat(many.returnsMany()).isTrue();
		assertThat(many.outputKeyType().toClass()).isEqualTo(String.class);
		assertThat(many.outputType().toClass()).isEqualTo(Integer.class);
		HandlerMethod wildcard = handlerMethod(new OutputRecords(), "wildcard");
		assertThat(wildcard.outputKeyType().toClass()).isEqualTo(Object.class);
		assertThat(wildcard.outputType().toClass()).isEqualTo(Object.class);
	}

	@Test
	void methodRecordHandlerInvokesWithTheResolvedArguments() throws Exception {
		EveryKind bean = new EveryKind();
		List<@Nullable Object> emitted = new ArrayList<>();
		new MethodRecordHandler(handlerMethod(bean, "handle")).handle(this.record, emitted::add);
		assertThat(emitted).containsExactly("42|k-7|orders-2@41|t-1");
		assertThat(bean.seen).isSameAs(this.record);
	}

	@Test
	void parametersAreReadFromTheTargetClassOfAProxy() throws Exception {
		ProxyFactory proxyFactory = new ProxyFactory(new KeyedImplementation());
		proxyFactory.addInterface(Keyed.class);
		Object proxy = proxyFactory.getProxy();
		assertThat(AopUtils.isJdkDynamicProxy(proxy)).isTrue();
		KafkaStreamHandlerBeanPostProcessor postProcessor = new KafkaStreamHandlerBeanPostProcessor();
		postProcessor.postProcessAfterInitialization(proxy, "keyed");
		HandlerMethod handler = postProcessor.handlers().get(0);
		assertThat(handler.arguments()).containsExactly(HandlerArgument.KEY, HandlerArgument.VALUE);
		assertThat(handler.keyType().toClass()).isEqualTo(String.class);
		List<@Nullable Object> emitted = new ArrayList<>();
		new MethodRecordHandler(handler).handle(this.record, emitted::add);
		assertThat(emitted).containsExactly("k-7=42");
	}

	@Test
	void sinkEmitterParameterReceivesTheOutputAndWritesToTheNamedSinks() throws Exception {
		HandlerMethod handler = handlerMethod(new Emitting(), "handle");
		assertThat(handler.arguments()).containsExactly(HandlerArgument.VALUE, HandlerArgument.EMITTER);
		assertThat(handler.sink()).isEqualTo("out");
		assertThat(handler.additionalSinks()).containsExactly("even", "odd");
		assertThat(handler.valueType().toClass()).isEqualTo(Long.class);
		assertThat(handler.outputType().toClass()).isEqualTo(String.class);
		List<String> emitted = new ArrayList<>();
		RecordOutput output = new RecordOutput() {

			@Override
			public void emit(@Nullable Object value) {
				emitted.add("out:" + value);
			}

			@Override
			public void emit(String sink, @Nullable Object value) {
				emitted.add(sink + ":" + value);
			}

		};
		assertThat(handler.resolveArguments(this.record, output)).containsExactly(42L, output);
		new MethodRecordHandler(handler).handle(this.record, output);
		assertThat(emitted).containsExactly("even:42", "out:seen 42");
	}

	@Test
	void failsForSinkEmitterWithoutSinks() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "emitterWithoutSinks"))
			.withMessage("@KafkaStreamHandler method handlers.emitterWithoutSinks takes a SinkEmitter but names no"
					+ " sinks to emit to: list them in @KafkaStreamHandler(sinks = ...)");
	}

	@Test
	void failsForSinksWithoutSinkEmitter() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "sinksWithoutEmitter"))
			.withMessage("@KafkaStreamHandler method handlers.sinksWithoutEmitter names sinks [a, b] in"
					+ " @KafkaStreamHandler(sinks = ...) but takes no SinkEmitter parameter to write to them");
	}

	@Test
	void failsForTwoSinkEmitters() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "twoEmitters"))
			.withMessageStartingWith("@KafkaStreamHandler method handlers.twoEmitters takes the SinkEmitter twice");
	}

	@Test
	void failsWithoutParameters() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "none"))
			.withMessage("@KafkaStreamHandler method handlers.none takes no parameters: it must take at least one of"
					+ " the record value, the @RecordKey key, the Headers, the RecordContext, the ConsumerRecord"
					+ " and a SinkEmitter");
	}

	@Test
	void failsForTwoValues() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "twoValues"))
			.withMessage("@KafkaStreamHandler method handlers.twoValues takes the record value twice, as parameter"
					+ " 'key' (java.lang.String) and parameter 'value' (java.lang.String): a handler takes one"
					+ " record value; annotate the key with @RecordKey");
	}

	@Test
	void failsForTwoKeys() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "twoKeys"))
			.withMessage("@KafkaStreamHandler method handlers.twoKeys takes the @RecordKey key twice, as parameter"
					+ " 'key' (java.lang.String) and parameter 'other' (java.lang.String)");
	}

	@Test
	void failsForTwiceTheSameSpecialParameter() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "twoHeaders"))
			.withMessageStartingWith("@KafkaStreamHandler method handlers.twoHeaders takes the Headers twice");
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "twoContexts"))
			.withMessageStartingWith("@KafkaStreamHandler method handlers.twoContexts takes the RecordContext twice");
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "twoRecords"))
			.withMessageStartingWith("@KafkaStreamHandler method handlers.twoRecords takes the ConsumerRecord twice");
	}

	@Test
	void failsForRecordKeyOnASpecialParameter() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "keyHeaders"))
			.withMessage("@KafkaStreamHandler method handlers.keyHeaders annotates parameter 'headers' with"
					+ " @RecordKey, but a Headers parameter receives the Headers, not the key");
	}

	@Test
	void failsForKeyThatDisagreesWithTheRecord() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "keyDisagrees"))
			.withMessage("@KafkaStreamHandler method handlers.keyDisagrees takes the key as parameter 'key'"
					+ " (java.lang.String) but the ConsumerRecord as parameter 'record'"
					+ " (org.apache.kafka.clients.consumer.ConsumerRecord<java.lang.Long, java.lang.String>):"
					+ " the key types must agree");
	}

	@Test
	void failsForValueThatDisagreesWithTheRecord() {
		assertThatIllegalStateException().isThrownBy(() -> handlerMethod(new Invalid(), "valueDisagrees"))
			.withMessageStartingWith("@KafkaStreamHandler method handlers.valueDisagrees takes the value as"
					+ " parameter 'value' (java.lang.Integer) but the ConsumerRecord as parameter 'record'")
			.withMessageEndingWith("the value types must agree");
	}

	private static HandlerMethod handlerMethod(Object bean, String name) {
		Method method = ReflectionUtils.findMethod(bean.getClass(), name, (Class<?>[]) null);
		assertThat(method).as(name).isNotNull();
		return new HandlerMethod(bean, "handlers", method, method.getAnnotation(KafkaStreamHandler.class));
	}

	static class ValueOnly {

		@KafkaStreamHandler(source = "in", sink = "out")
		String handle(Long value) {
			return value.toString();
		}

	}

	static class EveryKind {

		@Nullable ConsumerRecord<String, Long> seen;

		@KafkaStreamHandler(source = "in", sink = "out")
		String handle(RecordContext context, Headers headers, @RecordKey String key,
				ConsumerRecord<String, Long> record, Long value) {
			this.seen = record;
			String trace = new String(headers.lastHeader("trace").value(), StandardCharsets.UTF_8);
			return value + "|" + key + "|" + context.topic() + "-" + context.partition() + "@" + context.offset() + "|"
					+ trace;
		}

	}

	static class KeyAndHeaders {

		@KafkaStreamHandler(source = "in")
		void handle(Headers headers, @RecordKey @Nullable String key) {
		}

	}

	static class RecordOnly {

		@KafkaStreamHandler(source = "in")
		void handle(ConsumerRecord<String, Long> record) {
		}

	}

	static class ContextOnly {

		@KafkaStreamHandler(source = "in")
		void handle(RecordContext context) {
		}

	}

	static class KeyAndWildcardRecord {

		@KafkaStreamHandler(source = "in")
		void handle(@RecordKey String key, ConsumerRecord<?, ?> record) {
		}

	}

	static class PrimitiveKeyAndRecord {

		@KafkaStreamHandler(source = "in")
		void handle(@RecordKey long key, ConsumerRecord<Long, Long> record, Long value) {
		}

	}

	abstract static class GenericKeys<K, V> {

		@KafkaStreamHandler(source = "in", sink = "out")
		K handle(@RecordKey K key, V value) {
			return key;
		}

	}

	static class StringKeys extends GenericKeys<String, Long> {

	}

	static class Many {

		@KafkaStreamHandler(source = "in", sink = "out")
		List<Integer> handle(String value) {
			return List.of(value.length());
		}

	}

	static class OutputRecords {

		@KafkaStreamHandler(source = "in", sink = "out")
		OutputRecord<Long, String> one(String value) {
			return OutputRecord.of((long) value.length(), value);
		}

		@KafkaStreamHandler(source = "in", sink = "out")
		Stream<OutputRecord<String, Integer>> many(String value) {
			return Stream.of(OutputRecord.of(value, value.length()));
		}

		@KafkaStreamHandler(source = "in", sink = "out")
		OutputRecord<?, ?> wildcard(String value) {
			return OutputRecord.of(value);
		}

	}

	interface Keyed {

		String handle(String key, Long value);

	}

	static class KeyedImplementation implements Keyed {

		@Override
		@KafkaStreamHandler(source = "in", sink = "out")
		public String handle(@RecordKey String key, Long value) {
			return key + "=" + value;
		}

	}

	static class Emitting {

		@KafkaStreamHandler(source = "in", sink = "out", sinks = { "even", "out", "odd" })
		String handle(Long value, SinkEmitter emitter) {
			emitter.emit((value % 2 == 0) ? "even" : "odd", value);
			return "seen " + value;
		}

	}

	static class Invalid {

		@KafkaStreamHandler(source = "in")
		void emitterWithoutSinks(String value, SinkEmitter emitter) {
		}

		@KafkaStreamHandler(source = "in", sinks = { "a", "b" })
		void sinksWithoutEmitter(String value) {
		}

		@KafkaStreamHandler(source = "in", sinks = "a")
		void twoEmitters(SinkEmitter emitter, SinkEmitter other) {
		}

		@KafkaStreamHandler(source = "in")
		void none() {
		}

		@KafkaStreamHandler(source = "in")
		void twoValues(String key, String value) {
		}

		@KafkaStreamHandler(source = "in")
		void twoKeys(@RecordKey String key, @RecordKey String other) {
		}

		@KafkaStreamHandler(source = "in")
		void twoHeaders(Headers headers, Headers more) {
		}

		@KafkaStreamHandler(source = "in")
		void twoContexts(RecordContext context, RecordContext more) {
		}

		@KafkaStreamHandler(source = "in")
		void twoRecords(ConsumerRecord<String, String> record, ConsumerRecord<String, String> more) {
		}

		@KafkaStreamHandler(source = "in")
		void keyHeaders(@RecordKey Headers headers) {
		}

		@KafkaStreamHandler(source = "in")
		void keyDisagrees(@RecordKey String key, ConsumerRecord<Long, String> record) {
		}

		@KafkaStreamHandler(source = "in")
		void valueDisagrees(ConsumerRecord<Long, String> record, Integer value) {
		}

	}

}
