package dev.kafkastream.handler;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.stream.Stream;

import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.core.RecordContext;
import dev.kafkastream.core.SinkEmitter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * A bean method annotated with {@link KafkaStreamHandler}, with what it takes and returns.
 * Its parameters, in any order, are the record value (the one parameter that is not one of
 * the following), the {@link RecordKey @RecordKey} key, the record's {@link Headers}, a
 * {@link RecordContext}, the whole {@link ConsumerRecord}, and a {@link SinkEmitter}; it
 * takes at least one, and each at most once. A method takes a {@code SinkEmitter} if and
 * only if it names additional sinks. A method that breaks these rules fails at start-up.
 * A {@link KafkaStreamHandler#batch() batch} method takes the records of a partition
 * together: their values as a {@code List<T>} or the records as a
 * {@code List<ConsumerRecord<K, V>>}, and optionally a {@code SinkEmitter}; it returns an
 * {@code Iterable} or a {@code Stream} of outputs, or nothing.
 */
public final class HandlerMethod {

	private static final SinkEmitter NO_SINKS = (sink, value) -> {
		throw new IllegalArgumentException("No sink '" + sink + "' to emit to");
	};

	private final Object bean;

	private final String beanName;

	private final Method method;

	private final String source;

	private final @Nullable String sink;

	private final List<String> additionalSinks;

	private final HandlerArgument[] arguments;

	private final boolean[] primitive;

	private final String[] parameterNames;

	private final ResolvableType keyType;

	private final ResolvableType valueType;

	private final ResolvableType outputType;

	private final ResolvableType outputKeyType;

	private final boolean returnsMany;

	private final boolean batch;

	HandlerMethod(Object bean, String beanName, Method method, KafkaStreamHandler annotation) {
		this(bean, beanName, method, method, annotation);
	}

	/**
	 * Creates a handler method.
	 * @param bean the bean, possibly a proxy
	 * @param beanName the name of the bean
	 * @param declared the annotated method as the bean's class declares it, whose
	 * parameters are inspected
	 * @param invocable the method to invoke on the bean, which may be that of a proxy
	 * @param annotation the annotation of the method
	 */
	HandlerMethod(Object bean, String beanName, Method declared, Method invocable, KafkaStreamHandler annotation) {
		this.bean = bean;
		this.beanName = beanName;
		this.method = invocable;
		this.source = annotation.source();
		this.batch = annotation.batch();
		this.sink = annotation.sink().isEmpty() ? null : annotation.sink();
		Set<String> additional = new LinkedHashSet<>();
		for (String name : annotation.sinks()) {
			if (name.isEmpty()) {
				throw invalid("names an empty sink in @KafkaStreamHandler(sinks = ...)");
			}
			if (!name.equals(this.sink)) {
				additional.add(name);
			}
		}
		this.additionalSinks = List.copyOf(additional);
		int count = declared.getParameterCount();
		if (count == 0) {
			throw invalid("takes no parameters: it must take at least one of the record value, the @RecordKey key,"
					+ " the Headers, the RecordContext, the ConsumerRecord and a SinkEmitter");
		}
		Class<?> beanClass = AopUtils.getTargetClass(bean);
		this.arguments = new HandlerArgument[count];
		this.primitive = new boolean[count];
		this.parameterNames = new String[count];
		ResolvableType[] types = new ResolvableType[count];
		Map<HandlerArgument, Integer> positions = new EnumMap<>(HandlerArgument.class);
		Parameter[] parameters = declared.getParameters();
		for (int i = 0; i < count; i++) {
			MethodParameter parameter = new MethodParameter(declared, i).withContainingClass(beanClass);
			this.parameterNames[i] = parameters[i].getName();
			types[i] = ResolvableType.forMethodParameter(parameter);
			this.primitive[i] = parameter.getParameterType().isPrimitive();
			this.arguments[i] = this.batch ? batchArgument(parameter, i) : argument(parameter, i);
			if (this.batch && this.arguments[i] != HandlerArgument.EMITTER) {
				// from here on, as for one record of the batch
				types[i] = types[i].as(List.class).getGeneric(0);
			}
			Integer previous = positions.putIfAbsent(this.arguments[i], i);
			if (previous != null) {
				throw invalid("takes " + this.arguments[i].description() + " twice, as " + describe(previous, types)
						+ " and " + describe(i, types)
						+ ((this.arguments[i] != HandlerArgument.VALUE) ? ""
								: ": a handler takes one record value; annotate the key with @RecordKey"));
			}
		}
		if (this.batch && !positions.containsKey(HandlerArgument.VALUE)
				&& !positions.containsKey(HandlerArgument.RECORD)) {
			throw invalid("takes records in batches but no List of them: take a List of the values or a List"
					+ " of ConsumerRecord");
		}
		boolean emitter = positions.containsKey(HandlerArgument.EMITTER);
		if (emitter && annotation.sinks().length == 0) {
			throw invalid("takes a SinkEmitter but names no sinks to emit to: list them in"
					+ " @KafkaStreamHandler(sinks = ...)");
		}
		if (!emitter && annotation.sinks().length > 0) {
			throw invalid("names sinks " + List.of(annotation.sinks())
					+ " in @KafkaStreamHandler(sinks = ...) but takes no SinkEmitter parameter to write to them");
		}
		Integer key = positions.get(HandlerArgument.KEY);
		Integer value = positions.get(HandlerArgument.VALUE);
		Integer record = positions.get(HandlerArgument.RECORD);
		ResolvableType recordType = (record != null) ? types[record].as(ConsumerRecord.class) : ResolvableType.NONE;
		if (record != null && key != null) {
			checkAgreement(key, types, recordType.getGeneric(0), record, "key");
		}
		if (record != null && value != null) {
			checkAgreement(value, types, recordType.getGeneric(1), record, "value");
		}
		this.keyType = (key != null) ? types[key] : (record != null) ? recordType.getGeneric(0) : ResolvableType.NONE;
		this.valueType = (value != null) ? types[value]
				: (record != null) ? recordType.getGeneric(1) : ResolvableType.NONE;
		ResolvableType returnType = ResolvableType.forMethodReturnType(declared, beanClass);
		ResolvableType elementType = elementType(returnType);
		this.returnsMany = elementType != returnType;
		if (this.batch && !this.returnsMany && returnsValues()) {
			throw invalid("takes records in batches but returns " + returnType
					+ ": a batch handler returns a List (or another Iterable or a Stream) of outputs, or void");
		}
		if (OutputRecord.class.isAssignableFrom(elementType.toClass())) {
			ResolvableType outputRecord = elementType.as(OutputRecord.class);
			this.outputKeyType = outputRecord.getGeneric(0);
			this.outputType = outputRecord.getGeneric(1);
		}
		else {
			this.outputKeyType = ResolvableType.NONE;
			this.outputType = elementType;
		}
	}

	/**
	 * The type of what a handler returns per output record: the element type of an
	 * {@code Iterable} or {@code Stream}, else the return type itself.
	 * @param returnType the return type of the method
	 * @return the element type, the same instance as {@code returnType} for one value
	 */
	static ResolvableType elementType(ResolvableType returnType) {
		Class<?> returnClass = returnType.toClass();
		if (Iterable.class.isAssignableFrom(returnClass)) {
			return returnType.as(Iterable.class).getGeneric(0);
		}
		if (Stream.class.isAssignableFrom(returnClass)) {
			return returnType.as(Stream.class).getGeneric(0);
		}
		return returnType;
	}

	private HandlerArgument argument(MethodParameter parameter, int index) {
		Class<?> type = parameter.getParameterType();
		HandlerArgument special = (type == Headers.class) ? HandlerArgument.HEADERS
				: (type == RecordContext.class) ? HandlerArgument.CONTEXT
						: (type == ConsumerRecord.class) ? HandlerArgument.RECORD
						: (type == SinkEmitter.class) ? HandlerArgument.EMITTER : null;
		if (parameter.hasParameterAnnotation(RecordKey.class)) {
			if (special != null) {
				throw invalid("annotates parameter '" + this.parameterNames[index] + "' with @RecordKey, but a "
						+ type.getSimpleName() + " parameter receives " + special.description() + ", not the key");
			}
			return HandlerArgument.KEY;
		}
		return (special != null) ? special : HandlerArgument.VALUE;
	}

	private HandlerArgument batchArgument(MethodParameter parameter, int index) {
		Class<?> type = parameter.getParameterType();
		if (type == SinkEmitter.class) {
			return HandlerArgument.EMITTER;
		}
		if (type != List.class || parameter.hasParameterAnnotation(RecordKey.class)) {
			throw invalid("takes records in batches but its parameter '" + this.parameterNames[index] + "' ("
					+ parameter.getGenericParameterType().getTypeName() + ") is neither a List of the values, a List"
					+ " of ConsumerRecord nor a SinkEmitter: take a List<ConsumerRecord<K, V>> to see keys, headers"
					+ " and positions");
		}
		Class<?> element = ResolvableType.forMethodParameter(parameter).as(List.class).getGeneric(0).toClass();
		return (element == ConsumerRecord.class) ? HandlerArgument.RECORD : HandlerArgument.VALUE;
	}

	private void checkAgreement(int index, ResolvableType[] types, ResolvableType recordGeneric, int record,
			String what) {
		if (recordGeneric.toClass() == Object.class) {
			return;
		}
		ResolvableType type = this.primitive[index]
				? ResolvableType.forClass(ClassUtils.resolvePrimitiveIfNecessary(types[index].toClass())) : types[index];
		if (!type.isAssignableFrom(recordGeneric) || !recordGeneric.isAssignableFrom(type)) {
			throw invalid("takes the " + what + " as " + describe(index, types) + " but the ConsumerRecord as "
					+ describe(record, types) + ": the " + what + " types must agree");
		}
	}

	private String describe(int index, ResolvableType[] types) {
		return "parameter '" + this.parameterNames[index] + "' (" + types[index] + ")";
	}

	private InvalidHandlerMethodException invalid(String problem) {
		return new InvalidHandlerMethodException("@KafkaStreamHandler method " + describe() + " " + problem);
	}

	public Object bean() {
		return this.bean;
	}

	public Method method() {
		return this.method;
	}

	public String source() {
		return this.source;
	}

	public @Nullable String sink() {
		return this.sink;
	}

	/**
	 * The additional sinks the method writes to through its {@link SinkEmitter}, without
	 * the default sink, in the order the annotation lists them.
	 * @return the names of the additional sinks, possibly empty
	 */
	public List<String> additionalSinks() {
		return this.additionalSinks;
	}

	/**
	 * The type the record key is deserialised to: that of the {@link RecordKey @RecordKey}
	 * parameter, else the key type of the {@link ConsumerRecord} parameter, else
	 * {@link ResolvableType#NONE} when the method does not look at keys.
	 * @return the key type
	 */
	public ResolvableType keyType() {
		return this.keyType;
	}

	/**
	 * The type the record value is deserialised to: that of the value parameter, else the
	 * value type of the {@link ConsumerRecord} parameter, else {@link ResolvableType#NONE}
	 * when the method does not look at values.
	 * @return the value type
	 */
	public ResolvableType valueType() {
		return this.valueType;
	}

	/**
	 * The type of the values the method writes to its sink: the return type, or its
	 * element type for an {@code Iterable} or {@code Stream}, or the value type of an
	 * {@link OutputRecord}.
	 * @return the output type
	 */
	public ResolvableType outputType() {
		return this.outputType;
	}

	/**
	 * The type of the keys the method sets: the key type of the {@link OutputRecord} it
	 * returns, else {@link ResolvableType#NONE}.
	 * @return the output key type
	 */
	public ResolvableType outputKeyType() {
		return this.outputKeyType;
	}

	public boolean returnsValues() {
		Class<?> type = this.method.getReturnType();
		return type != void.class && type != Void.class;
	}

	/**
	 * Whether the method takes the records of a partition in batches.
	 * @return whether it is a batch handler
	 * @see KafkaStreamHandler#batch()
	 */
	public boolean batch() {
		return this.batch;
	}

	boolean returnsMany() {
		return this.returnsMany;
	}

	/**
	 * What each parameter receives, in parameter order.
	 * @return the arguments
	 */
	List<HandlerArgument> arguments() {
		return List.of(this.arguments);
	}

	@Nullable Object[] resolveArguments(ConsumerRecord<Object, Object> record) {
		return resolveArguments(record, NO_SINKS);
	}

	/**
	 * The arguments to invoke the method with for a record.
	 * @param record the deserialised record
	 * @param emitter where a {@link SinkEmitter} parameter emits to
	 * @return the arguments, in parameter order
	 * @throws IllegalArgumentException if a primitive parameter would receive {@code null}
	 */
	@Nullable Object[] resolveArguments(ConsumerRecord<Object, Object> record, SinkEmitter emitter) {
		HandlerArgument[] arguments = this.arguments;
		@Nullable Object[] resolved = new Object[arguments.length];
		for (int i = 0; i < arguments.length; i++) {
			Object argument = arguments[i].resolve(record, emitter);
			if (argument == null && this.primitive[i]) {
				throw new IllegalArgumentException("Handler " + describe() + " cannot take " + arguments[i].description()
						+ ", which is null, as its primitive parameter '" + this.parameterNames[i] + "'");
			}
			resolved[i] = argument;
		}
		return resolved;
	}

	/**
	 * The arguments to invoke a {@link #batch() batch} method with for the records of a
	 * batch.
	 * @param records the deserialised records, in offset order
	 * @param emitter where a {@link SinkEmitter} parameter emits to
	 * @return the arguments, in parameter order
	 */
	@Nullable Object[] resolveBatchArguments(List<ConsumerRecord<Object, Object>> records, SinkEmitter emitter) {
		HandlerArgument[] arguments = this.arguments;
		@Nullable Object[] resolved = new Object[arguments.length];
		for (int i = 0; i < arguments.length; i++) {
			resolved[i] = switch (arguments[i]) {
				case VALUE -> values(records);
				case RECORD -> Collections.unmodifiableList(records);
				case EMITTER -> emitter;
				default -> throw new IllegalStateException("A batch handler cannot take " + arguments[i].description());
			};
		}
		return resolved;
	}

	private static List<@Nullable Object> values(List<ConsumerRecord<Object, Object>> records) {
		List<@Nullable Object> values = new ArrayList<>(records.size());
		for (ConsumerRecord<Object, Object> record : records) {
			values.add(record.value());
		}
		return Collections.unmodifiableList(values);
	}

	/**
	 * A readable name of the method: {@code beanName.method}.
	 * @return the description
	 */
	public String describe() {
		return this.beanName + "." + this.method.getName();
	}

	@Override
	public String toString() {
		return describe();
	}

}
