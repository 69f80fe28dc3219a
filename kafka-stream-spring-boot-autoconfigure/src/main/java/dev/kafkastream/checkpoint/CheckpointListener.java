package dev.kafkastream.checkpoint;

/**
 * Told of every checkpoint that completed or failed, on the thread that finished it,
 * after the coordinator released its lock. A listener must be quick and must not throw.
 */
@FunctionalInterface
public interface CheckpointListener {

	/**
	 * Called once a checkpoint is {@link CheckpointState#COMPLETED} or
	 * {@link CheckpointState#FAILED}.
	 * @param checkpoint the finished checkpoint
	 */
	void checkpointFinished(CheckpointRecord checkpoint);

}
