package dev.kafkastream.handler;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.stream.Stream;

import dev.kafkastream.runtime.RecordHandler;
import dev.kafkastream.runtime.RecordOutput;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * Adapts a {@link HandlerMethod} to the runtime's {@link RecordHandler}: it passes the
 * arguments the method's parameters ask for and emits what the method returns.
 */
public final class MethodRecordHandler implements RecordHandler {

	private final HandlerMethod handlerMethod;

	private final Object bean;

	private final Method method;

	public MethodRecordHandler(HandlerMethod handlerMethod) {
		this.handlerMethod = handlerMethod;
		this.bean = handlerMethod.bean();
		this.method = handlerMethod.method();
		ReflectionUtils.makeAccessible(this.method);
	}

	@Override
	public void handle(ConsumerRecord<Object, Object> record, RecordOutput output) throws Exception {
		Object result = invoke(this.method, this.bean, this.handlerMethod.resolveArguments(record, output));
		if (result == null) {
			return;
		}
		if (result instanceof Iterable<?> values) {
			for (Object value : values) {
				output.emit(value);
			}
		}
		else if (result instanceof Stream<?> values) {
			try (values) {
				values.forEachOrdered(output::emit);
			}
		}
		else {
			output.emit(result);
		}
	}

	/**
	 * Invokes a handler method, throwing what it threw.
	 * @param method the method
	 * @param bean the bean to invoke it on
	 * @param arguments the arguments
	 * @return what it returned
	 * @throws Exception what it threw
	 */
	static @Nullable Object invoke(Method method, Object bean, @Nullable Object[] arguments) throws Exception {
		try {
			return method.invoke(bean, arguments);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getTargetException();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			throw (Error) cause;
		}
	}

	@Override
	public String toString() {
		return this.handlerMethod.describe();
	}

}
