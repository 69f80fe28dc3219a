package dev.kafkastream.event;

import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.runtime.KafkaStreamRuntime;

/**
 * Published when a checkpoint failed: a participant declined it or it timed out. Its
 * {@link CheckpointRecord#failure() failure} says why.
 */
public class CheckpointFailedEvent extends KafkaStreamEvent {

	private final CheckpointRecord checkpoint;

	public CheckpointFailedEvent(KafkaStreamRuntime runtime, CheckpointRecord checkpoint) {
		super(runtime);
		this.checkpoint = checkpoint;
	}

	/**
	 * The checkpoint, with its id and failure.
	 * @return the checkpoint
	 */
	public CheckpointRecord getCheckpoint() {
		return this.checkpoint;
	}

	@Override
	public String toString() {
		return "CheckpointFailedEvent{id=" + this.checkpoint.id() + ", failure=" + this.checkpoint.failure() + "}";
	}

}
