package dev.kafkastream.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.sink.KafkaStreamSink;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * The sinks configured under {@code kafka-stream.sinks}, each a {@link KafkaStreamSink}
 * application code can send through. Every sink is also a bean of its own, named
 * {@code <name>Sink} and qualified by its name, so it can be injected with
 * {@code @Qualifier("<name>") KafkaStreamSink}.
 * <p>
 * The sinks exist as soon as the context does, but send only while the kafka-stream
 * runtime runs (between the start and the stop of {@link KafkaStreamLifecycle}).
 */
public final class KafkaStreamSinks {

	/**
	 * The name of the bean.
	 */
	public static final String BEAN_NAME = "kafkaStreamSinks";

	private final Map<String, KafkaStreamSink> sinks;

	KafkaStreamSinks(KafkaStreamLifecycle lifecycle, Map<String, KafkaStreamProperties.Sink> configured) {
		Map<String, KafkaStreamSink> sinks = new LinkedHashMap<>();
		configured.forEach((name, sink) -> sinks.put(name,
				new RuntimeSink(lifecycle, name, sink.getDeliveryGuarantee())));
		this.sinks = Collections.unmodifiableMap(sinks);
	}

	/**
	 * The sink of the given name.
	 * @param name the name under {@code kafka-stream.sinks}
	 * @return the sink
	 * @throws IllegalArgumentException if no sink of that name is configured
	 */
	public KafkaStreamSink sink(String name) {
		KafkaStreamSink sink = this.sinks.get(name);
		if (sink == null) {
			throw new IllegalArgumentException(
					"No sink '" + name + "' is configured under 'kafka-stream.sinks'; sinks: " + this.sinks.keySet());
		}
		return sink;
	}

	/**
	 * The names of the configured sinks.
	 * @return the names
	 */
	public Set<String> names() {
		return this.sinks.keySet();
	}

	/**
	 * A sink that sends through the runtime's sink of the same name, looked up at each
	 * send: the runtime is assembled after the beans that inject the sink.
	 */
	private static final class RuntimeSink implements KafkaStreamSink {

		private final KafkaStreamLifecycle lifecycle;

		private final String name;

		private final DeliveryGuarantee deliveryGuarantee;

		RuntimeSink(KafkaStreamLifecycle lifecycle, String name, DeliveryGuarantee deliveryGuarantee) {
			this.lifecycle = lifecycle;
			this.name = name;
			this.deliveryGuarantee = deliveryGuarantee;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public DeliveryGuarantee deliveryGuarantee() {
			return this.deliveryGuarantee;
		}

		@Override
		public CompletableFuture<RecordMetadata> send(@Nullable Object value) {
			return target().send(value);
		}

		@Override
		public CompletableFuture<RecordMetadata> send(OutputRecord<?, ?> record) {
			return target().send(record);
		}

		private KafkaStreamSink target() {
			return this.lifecycle.getRuntime()
				.sink(this.name)
				.orElseThrow(() -> new IllegalStateException("The kafka-stream runtime has no sink '" + this.name + "'"));
		}

		@Override
		public String toString() {
			return "KafkaStreamSink[" + this.name + " " + this.deliveryGuarantee + "]";
		}

	}

}
