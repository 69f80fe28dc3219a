package dev.kafkastream.handler;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import dev.kafkastream.runtime.BatchOutput;
import dev.kafkastream.runtime.RecordBatchHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.util.ReflectionUtils;

/**
 * Adapts a {@link HandlerMethod#batch() batch} {@link HandlerMethod} to the runtime's
 * {@link RecordBatchHandler}: it passes the records, or their values, as a list and emits
 * what the method returns. A returned {@link Collection} with one element per input
 * record maps them one to one, so each output keeps its input record's key; otherwise
 * each output is for the batch as a whole.
 */
public final class MethodBatchHandler implements RecordBatchHandler {

	private final HandlerMethod handlerMethod;

	private final Object bean;

	private final Method method;

	public MethodBatchHandler(HandlerMethod handlerMethod) {
		if (!handlerMethod.batch()) {
			throw new IllegalArgumentException(handlerMethod.describe() + " does not take records in batches");
		}
		this.handlerMethod = handlerMethod;
		this.bean = handlerMethod.bean();
		this.method = handlerMethod.method();
		ReflectionUtils.makeAccessible(this.method);
	}

	@Override
	public void handle(List<ConsumerRecord<Object, Object>> records, BatchOutput output) throws Exception {
		Object result = MethodRecordHandler.invoke(this.method, this.bean,
				this.handlerMethod.resolveBatchArguments(records, output));
		if (result instanceof Collection<?> values && values.size() == records.size()) {
			int index = 0;
			for (Object value : values) {
				output.emit(index++, value);
			}
		}
		else if (result instanceof Iterable<?> values) {
			for (Object value : values) {
				output.emit(value);
			}
		}
		else if (result instanceof Stream<?> values) {
			try (values) {
				values.forEachOrdered(output::emit);
			}
		}
	}

	@Override
	public String toString() {
		return this.handlerMethod.describe();
	}

}
