package dev.kafkastream.checkpoint;

/**
 * The state of one checkpoint.
 */
public enum CheckpointState {

	/**
	 * Triggered and waiting for acknowledgements.
	 */
	IN_PROGRESS,

	/**
	 * Acknowledged by every participant: its offsets are committed.
	 */
	COMPLETED,

	/**
	 * Declined by a participant or timed out.
	 */
	FAILED

}
