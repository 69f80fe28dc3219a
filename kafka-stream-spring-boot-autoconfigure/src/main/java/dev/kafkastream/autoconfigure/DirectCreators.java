package dev.kafkastream.autoconfigure;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.Version;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.introspect.AnnotatedWithParams;

/**
 * A Jackson module that calls the constructor or static factory that creates a value
 * from its properties (a record's canonical constructor, a {@code @JsonCreator}) through
 * a method handle spread over the argument array once, instead of Jackson 3's
 * {@code MethodHandle.invokeWithArguments}, which builds a spreader on every call and
 * took about half of the time Jackson spent building a small record from its
 * properties. Values are created, and creator failures reported, exactly as Jackson's
 * own instantiator does; a creator the module cannot look up keeps Jackson's
 * instantiator.
 */
final class DirectCreators extends JacksonModule {

	@Override
	public String getModuleName() {
		return "kafka-stream-direct-creators";
	}

	@Override
	public Version version() {
		return Version.unknownVersion();
	}

	@Override
	public void setupModule(SetupContext context) {
		context.addValueInstantiators(new ValueInstantiators.Base() {

			@Override
			public ValueInstantiator modifyValueInstantiator(DeserializationConfig config,
					BeanDescription.Supplier description, ValueInstantiator instantiator) {
				return direct(instantiator);
			}

		});
	}

	private static ValueInstantiator direct(ValueInstantiator instantiator) {
		if (instantiator.getClass() != StdValueInstantiator.class) {
			return instantiator;
		}
		AnnotatedWithParams creator = instantiator.getWithArgsCreator();
		MethodHandle handle = (creator != null) ? spreadHandle(creator.getMember()) : null;
		return (handle != null) ? new DirectCreatorInstantiator((StdValueInstantiator) instantiator, handle)
				: instantiator;
	}

	private static @Nullable MethodHandle spreadHandle(Member member) {
		try {
			MethodHandle handle;
			int arity;
			if (member instanceof Constructor<?> constructor) {
				handle = MethodHandles.lookup().unreflectConstructor(constructor);
				arity = constructor.getParameterCount();
			}
			else if (member instanceof Method method && Modifier.isStatic(method.getModifiers())) {
				handle = MethodHandles.lookup().unreflect(method);
				arity = method.getParameterCount();
			}
			else {
				return null;
			}
			return handle.asFixedArity()
				.asSpreader(Object[].class, arity)
				.asType(MethodType.methodType(Object.class, Object[].class));
		}
		catch (IllegalAccessException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Jackson's instantiator, creating values from properties through a spread method
	 * handle.
	 */
	static final class DirectCreatorInstantiator extends StdValueInstantiator {

		private final MethodHandle creator;

		DirectCreatorInstantiator(StdValueInstantiator instantiator, MethodHandle creator) {
			super(instantiator);
			this.creator = creator;
		}

		@Override
		public Object createFromObjectWith(DeserializationContext context, Object[] arguments) {
			try {
				return this.creator.invokeExact(arguments);
			}
			catch (Exception ex) {
				return context.handleInstantiationProblem(this._valueClass, arguments,
						rewrapCtorProblem(context, ex));
			}
			catch (Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
