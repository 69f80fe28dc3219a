package dev.kafkastream.runtime;

/**
 * Told of every change of a pipeline's state, on the thread that changed it. A listener
 * must be quick and must not throw.
 */
@FunctionalInterface
public interface PipelineStateListener {

	/**
	 * Called after a pipeline changed its state.
	 * @param pipeline the pipeline; {@link Pipeline#failure()} says why it failed
	 * @param previous the state it left
	 * @param current the state it entered
	 */
	void stateChanged(Pipeline pipeline, PipelineState previous, PipelineState current);

}
