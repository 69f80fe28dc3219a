package dev.kafkastream.checkpoint;

/**
 * Something that takes part in checkpoints, such as a source worker. When asked, it
 * reaches a safe point, commits what it has processed and reports back to the
 * coordinator with {@link CheckpointCoordinator#acknowledge} or
 * {@link CheckpointCoordinator#decline}.
 */
public interface CheckpointParticipant {

	/**
	 * Asks for a checkpoint. Called on the coordinator's thread: implementations only
	 * take note and act on their own thread.
	 * @param checkpointId the id of the checkpoint
	 * @param finalCheckpoint whether it is the last checkpoint before a stop: the
	 * participant processes nothing after it
	 */
	void checkpointRequested(long checkpointId, boolean finalCheckpoint);

}
