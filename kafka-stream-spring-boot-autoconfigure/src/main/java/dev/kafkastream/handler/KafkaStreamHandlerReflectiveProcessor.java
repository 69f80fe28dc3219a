package dev.kafkastream.handler;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.core.RecordContext;
import dev.kafkastream.core.SinkEmitter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.ReflectiveProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;

/**
 * Registers the reflection hints a {@link KafkaStreamHandler} method needs in a native
 * image: the method is invoked reflectively, and the types of the record key and value it
 * takes and of the values (and {@link OutputRecord} keys) it returns are bound to and from
 * JSON. The types the starter itself provides ({@link ConsumerRecord}, {@link Headers},
 * {@link RecordContext}, {@link SinkEmitter}, {@link OutputRecord}) are not bound; the
 * generic arguments of a {@code ConsumerRecord} parameter (or of the
 * {@code List<ConsumerRecord>} of a batch handler) and of an {@code OutputRecord},
 * {@code Iterable} or {@code Stream} return type are.
 *
 * <p>Applied through the {@code @Reflective} meta-annotation of {@link KafkaStreamHandler}
 * to the methods of every bean when the application is processed ahead of time.
 */
class KafkaStreamHandlerReflectiveProcessor implements ReflectiveProcessor {

	private static final Set<Class<?>> NOT_BOUND = Set.of(Headers.class, RecordContext.class, SinkEmitter.class);

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	public void registerReflectionHints(ReflectionHints hints, AnnotatedElement element) {
		if (element instanceof Method method) {
			hints.registerMethod(method, ExecutableMode.INVOKE);
			this.bindingRegistrar.registerReflectionHints(hints, payloadTypes(method).toArray(Type[]::new));
		}
	}

	/**
	 * The types a handler's records are deserialised to and its output serialised from.
	 * @param method the handler method
	 * @return the key, value and output types
	 */
	static List<Type> payloadTypes(Method method) {
		List<Type> types = new ArrayList<>();
		for (int i = 0; i < method.getParameterCount(); i++) {
			ResolvableType parameter = ResolvableType.forMethodParameter(new MethodParameter(method, i));
			Class<?> type = parameter.toClass();
			if (type == List.class && parameter.as(List.class).getGeneric(0).toClass() == ConsumerRecord.class) {
				// the records of a batch handler
				addGenerics(types, parameter.as(List.class).getGeneric(0));
			}
			else if (type == ConsumerRecord.class) {
				addGenerics(types, parameter);
			}
			else if (!NOT_BOUND.contains(type)) {
				types.add(typeOf(parameter));
			}
		}
		ResolvableType output = HandlerMethod.elementType(ResolvableType.forMethodReturnType(method));
		if (OutputRecord.class.isAssignableFrom(output.toClass())) {
			addGenerics(types, output.as(OutputRecord.class));
		}
		else if (output.resolve() != null) {
			types.add(typeOf(output));
		}
		return types;
	}

	private static void addGenerics(List<Type> types, ResolvableType type) {
		for (ResolvableType generic : type.getGenerics()) {
			if (generic.resolve() != null) {
				types.add(typeOf(generic));
			}
		}
	}

	private static Type typeOf(ResolvableType type) {
		// A type variable or wildcard, as the element type of an Iterable is, binds as its
		// resolved class.
		Type declared = type.getType();
		return (declared instanceof Class<?> || declared instanceof ParameterizedType) ? declared : type.toClass();
	}

}
