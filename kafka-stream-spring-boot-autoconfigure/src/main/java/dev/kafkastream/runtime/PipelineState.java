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
	 * A bounded source read every partition up to its stopping offset, and the pipeline
	 * took its final checkpoint.
	 */
	FINISHED,

	/**
	 * A worker failed more often in a row than tolerated, or with a failure retrying
	 * cannot fix: the pipeline stopped.
	 */
	FAILED,

	/**
	 * Stopped on request, after a final checkpoint.
	 */
	STOPPED

}
