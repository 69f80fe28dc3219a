package dev.kafkastream.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.source.KafkaSourceSpec;
import org.jspecify.annotations.Nullable;

/**
 * A pipeline: one source, the handler bound to it, the default sink it writes to, and the
 * additional sinks it may emit to by name. Its name is the source's name. All sinks of a
 * pipeline share one producer per worker, and so, under exactly-once, one transaction:
 * they must have the same delivery guarantee, and the producer is configured by the
 * {@link #producerSink() producer sink}.
 */
public final class PipelineSpec {

	private final KafkaSourceSpec source;

	private final @Nullable RecordHandler handler;

	private final @Nullable RecordBatchHandler batchHandler;

	private final @Nullable KafkaSinkSpec sink;

	private final List<KafkaSinkSpec> sinks;

	private final @Nullable HandlerObserver handlerObserver;

	private PipelineSpec(Builder builder) {
		this.source = Objects.requireNonNull(builder.source, "source");
		this.handler = builder.handler;
		this.batchHandler = builder.batchHandler;
		if ((this.handler == null) == (this.batchHandler == null)) {
			throw new IllegalArgumentException("A pipeline has either a handler or a batch handler");
		}
		this.handlerObserver = builder.handlerObserver;
		this.sink = builder.sink;
		Map<String, KafkaSinkSpec> byName = new LinkedHashMap<>();
		if (this.sink != null) {
			byName.put(this.sink.name(), this.sink);
		}
		for (KafkaSinkSpec additional : builder.sinks) {
			if (byName.putIfAbsent(additional.name(), additional) != null) {
				throw new IllegalArgumentException(
						"Pipeline '" + name() + "' names sink '" + additional.name() + "' twice");
			}
		}
		this.sinks = List.copyOf(byName.values());
		for (KafkaSinkSpec other : this.sinks) {
			if (other.deliveryGuarantee() != this.sinks.get(0).deliveryGuarantee()) {
				throw new IllegalArgumentException("Pipeline '" + name() + "' writes to sinks of different delivery"
						+ " guarantees: '" + this.sinks.get(0).name() + "' is " + this.sinks.get(0).deliveryGuarantee()
						+ " but '" + other.name() + "' is " + other.deliveryGuarantee());
			}
		}
	}

	public static Builder builder() {
		return new Builder();
	}

	public String name() {
		return this.source.name();
	}

	public KafkaSourceSpec source() {
		return this.source;
	}

	public @Nullable RecordHandler handler() {
		return this.handler;
	}

	/**
	 * The handler that takes records in batches, when the pipeline has one instead of a
	 * {@link #handler() handler}.
	 * @return the batch handler, or {@code null}
	 */
	public @Nullable RecordBatchHandler batchHandler() {
		return this.batchHandler;
	}

	/**
	 * The default sink: the one the handler's return value is written to.
	 * @return the default sink, or {@code null}
	 */
	public @Nullable KafkaSinkSpec sink() {
		return this.sink;
	}

	/**
	 * Every sink of the pipeline, the default sink first, then the additional sinks a
	 * handler may emit to by name.
	 * @return the sinks, possibly empty
	 */
	public List<KafkaSinkSpec> sinks() {
		return this.sinks;
	}

	/**
	 * The sink whose producer settings (properties, transactional id prefix, transaction
	 * timeout) configure the producer of each worker: the default sink, else the first
	 * additional sink.
	 * @return the producer sink, or {@code null} for a pipeline without sinks
	 */
	public @Nullable KafkaSinkSpec producerSink() {
		return this.sinks.isEmpty() ? null : this.sinks.get(0);
	}

	/**
	 * What watches each call of the handler, such as an observation that traces it.
	 * @return the observer, or {@code null} when the calls are not watched
	 */
	public @Nullable HandlerObserver handlerObserver() {
		return this.handlerObserver;
	}

	/**
	 * The guarantee of the pipeline: that of its sinks, which all agree, or at-least-once
	 * for a pipeline without a sink (offsets are committed once the handler returned).
	 * @return the delivery guarantee
	 */
	public DeliveryGuarantee deliveryGuarantee() {
		KafkaSinkSpec sink = producerSink();
		return (sink != null) ? sink.deliveryGuarantee() : DeliveryGuarantee.AT_LEAST_ONCE;
	}

	/**
	 * Builder of {@link PipelineSpec}.
	 */
	public static final class Builder {

		private @Nullable KafkaSourceSpec source;

		private @Nullable RecordHandler handler;

		private @Nullable RecordBatchHandler batchHandler;

		private @Nullable KafkaSinkSpec sink;

		private final List<KafkaSinkSpec> sinks = new ArrayList<>();

		private @Nullable HandlerObserver handlerObserver;

		private Builder() {
		}

		public Builder source(KafkaSourceSpec source) {
			this.source = source;
			return this;
		}

		public Builder handler(RecordHandler handler) {
			this.handler = handler;
			return this;
		}

		/**
		 * Sets a handler that takes records in batches, instead of a
		 * {@link #handler(RecordHandler) handler}.
		 * @param batchHandler the batch handler
		 * @return this builder
		 */
		public Builder batchHandler(RecordBatchHandler batchHandler) {
			this.batchHandler = batchHandler;
			return this;
		}

		public Builder sink(@Nullable KafkaSinkSpec sink) {
			this.sink = sink;
			return this;
		}

		/**
		 * Adds sinks a handler may emit to by name, besides the default sink.
		 * @param sinks the additional sinks
		 * @return this builder
		 */
		public Builder additionalSinks(List<KafkaSinkSpec> sinks) {
			this.sinks.addAll(sinks);
			return this;
		}

		/**
		 * Sets what watches each call of the handler.
		 * @param handlerObserver the observer, or {@code null} for none
		 * @return this builder
		 */
		public Builder handlerObserver(@Nullable HandlerObserver handlerObserver) {
			this.handlerObserver = handlerObserver;
			return this;
		}

		public PipelineSpec build() {
			return new PipelineSpec(this);
		}

	}

}
