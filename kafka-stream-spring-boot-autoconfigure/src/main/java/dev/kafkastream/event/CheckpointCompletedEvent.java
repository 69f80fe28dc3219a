package dev.kafkastream.event;

import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.runtime.KafkaStreamRuntime;

/**
 * Published when a checkpoint completed: every worker and sink committed what it
 * processed.
 */
public class CheckpointCompletedEvent extends KafkaStreamEvent {

	private final CheckpointRecord checkpoint;

	public CheckpointCompletedEvent(KafkaStreamRuntime runtime, CheckpointRecord checkpoint) {
		super(runtime);
		this.checkpoint = checkpoint;
	}

	/**
	 * The checkpoint, with its id, duration and committed offsets.
	 * @return the checkpoint
	 */
	public CheckpointRecord getCheckpoint() {
		return this.checkpoint;
	}

	@Override
	public String toString() {
		return "CheckpointCompletedEvent{id=" + this.checkpoint.id() + "}";
	}

}
