package dev.kafkastream.runtime;

import java.util.Objects;

import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.source.KafkaSourceSpec;
import org.jspecify.annotations.Nullable;

/**
 * A pipeline: one source, the handler bound to it, and the sink it writes to. Its name is
 * the source's name.
 */
public final class PipelineSpec {

	private final KafkaSourceSpec source;

	private final RecordHandler handler;

	private final @Nullable KafkaSinkSpec sink;

	private PipelineSpec(Builder builder) {
		this.source = Objects.requireNonNull(builder.source, "source");
		this.handler = Objects.requireNonNull(builder.handler, "handler");
		this.sink = builder.sink;
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

	public RecordHandler handler() {
		return this.handler;
	}

	public @Nullable KafkaSinkSpec sink() {
		return this.sink;
	}

	/**
	 * The guarantee of the pipeline: the sink's, or at-least-once for a pipeline without a
	 * sink (offsets are committed once the handler returned).
	 * @return the delivery guarantee
	 */
	public DeliveryGuarantee deliveryGuarantee() {
		return (this.sink != null) ? this.sink.deliveryGuarantee() : DeliveryGuarantee.AT_LEAST_ONCE;
	}

	/**
	 * Builder of {@link PipelineSpec}.
	 */
	public static final class Builder {

		private @Nullable KafkaSourceSpec source;

		private @Nullable RecordHandler handler;

		private @Nullable KafkaSinkSpec sink;

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

		public Builder sink(@Nullable KafkaSinkSpec sink) {
			this.sink = sink;
			return this;
		}

		public PipelineSpec build() {
			return new PipelineSpec(this);
		}

	}

}
