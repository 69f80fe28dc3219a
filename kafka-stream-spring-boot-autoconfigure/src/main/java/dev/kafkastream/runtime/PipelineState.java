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
	 * Started: its workers are joining the group and positioning the partitions they
	 * were given.
	 */
	STARTING,

	/**
	 * Its workers are reading, handling and writing: each joined its group and
	 * positioned the partitions it was given (a worker given none is running too).
	 */
	RUNNING,

	/**
	 * Paused on request: its workers stay in the group and take checkpoints, but read
	 * nothing until it is resumed.
	 */
	PAUSED,

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
	STOPPED;

	/**
	 * Whether a pipeline in this state has workers that were started and not stopped.
	 * @return whether it is {@link #STARTING}, {@link #RUNNING} or {@link #PAUSED}
	 */
	public boolean isActive() {
		return this == STARTING || this == RUNNING || this == PAUSED;
	}

}
