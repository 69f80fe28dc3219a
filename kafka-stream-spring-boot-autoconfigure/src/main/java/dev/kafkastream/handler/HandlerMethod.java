package dev.kafkastream.handler;

import java.lang.reflect.Method;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;

/**
 * A bean method annotated with {@link KafkaStreamHandler}, with what it takes and returns.
 */
public final class HandlerMethod {

	private final Object bean;

	private final String beanName;

	private final Method method;

	private final String source;

	private final @Nullable String sink;

	private final boolean takesRecord;

	private final ResolvableType keyType;

	private final ResolvableType valueType;

	private final ResolvableType outputType;

	private final boolean returnsMany;

	HandlerMethod(Object bean, String beanName, Method method, KafkaStreamHandler annotation) {
		this.bean = bean;
		this.beanName = beanName;
		this.method = method;
		this.source = annotation.source();
		this.sink = annotation.sink().isEmpty() ? null : annotation.sink();
		if (method.getParameterCount() != 1) {
			throw new IllegalStateException("@KafkaStreamHandler method " + describe()
					+ " must take exactly one parameter: the record value or the ConsumerRecord");
		}
		ResolvableType parameter = ResolvableType.forMethodParameter(new MethodParameter(method, 0));
		this.takesRecord = ConsumerRecord.class.isAssignableFrom(parameter.toClass());
		if (this.takesRecord) {
			ResolvableType record = parameter.as(ConsumerRecord.class);
			this.keyType = record.getGeneric(0);
			this.valueType = record.getGeneric(1);
		}
		else {
			this.keyType = ResolvableType.NONE;
			this.valueType = parameter;
		}
		ResolvableType returnType = ResolvableType.forMethodReturnType(method);
		Class<?> returnClass = returnType.toClass();
		if (Iterable.class.isAssignableFrom(returnClass)) {
			this.returnsMany = true;
			this.outputType = returnType.as(Iterable.class).getGeneric(0);
		}
		else if (Stream.class.isAssignableFrom(returnClass)) {
			this.returnsMany = true;
			this.outputType = returnType.as(Stream.class).getGeneric(0);
		}
		else {
			this.returnsMany = false;
			this.outputType = returnType;
		}
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
	 * The type the record key is deserialised to, {@link ResolvableType#NONE} when the
	 * method does not look at keys.
	 * @return the key type
	 */
	public ResolvableType keyType() {
		return this.keyType;
	}

	/**
	 * The type the record value is deserialised to.
	 * @return the value type
	 */
	public ResolvableType valueType() {
		return this.valueType;
	}

	/**
	 * The type of what the method writes to its sink: the return type, or its element type
	 * for an {@code Iterable} or {@code Stream}.
	 * @return the output type
	 */
	public ResolvableType outputType() {
		return this.outputType;
	}

	public boolean returnsValues() {
		Class<?> type = this.method.getReturnType();
		return type != void.class && type != Void.class;
	}

	boolean takesRecord() {
		return this.takesRecord;
	}

	boolean returnsMany() {
		return this.returnsMany;
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
