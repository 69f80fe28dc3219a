package dev.kafkastream.event;

import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import org.jspecify.annotations.Nullable;

/**
 * Published when a source (its pipeline) changed its state: started, running, paused,
 * finished, failed or stopped.
 */
public class SourceStateChangedEvent extends KafkaStreamEvent {

	private final Pipeline pipeline;

	private final PipelineState previousState;

	private final PipelineState state;

	private final @Nullable String failure;

	public SourceStateChangedEvent(KafkaStreamRuntime runtime, Pipeline pipeline, PipelineState previousState,
			PipelineState state) {
		super(runtime);
		this.pipeline = pipeline;
		this.previousState = previousState;
		this.state = state;
		this.failure = (state == PipelineState.FAILED) ? pipeline.failure() : null;
	}

	/**
	 * The name of the source.
	 * @return the name
	 */
	public String getSourceName() {
		return this.pipeline.name();
	}

	public Pipeline getPipeline() {
		return this.pipeline;
	}

	public PipelineState getPreviousState() {
		return this.previousState;
	}

	public PipelineState getState() {
		return this.state;
	}

	/**
	 * Why the source failed.
	 * @return the failure, {@code null} unless the state is {@link PipelineState#FAILED}
	 */
	public @Nullable String getFailure() {
		return this.failure;
	}

	@Override
	public String toString() {
		return "SourceStateChangedEvent{source=" + getSourceName() + ", " + this.previousState + " -> " + this.state
				+ "}";
	}

}
