package dev.kafkastream.runtime;

/**
 * The lifecycle of a pipeline.
 */
public enum PipelineState {

	/**
	 * Built but not started.
	 */
	CREATED,

	/**
	 * Its workers are reading, handling and writing.
	 */
	RUNNING,

	/**
	 * A worker failed more often in a row than tolerated: the pipeline stopped.
	 */
	FAILED,

	/**
	 * Stopped on request, after a final checkpoint.
	 */
	STOPPED

}
