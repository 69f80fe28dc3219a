package dev.kafkastream.event;

import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.runtime.KafkaStreamRuntime;

/**
 * Base class of the events published when a checkpoint finished.
 */
public abstract class CheckpointEvent extends KafkaStreamEvent {

	private final CheckpointRecord checkpoint;

	protected CheckpointEvent(KafkaStreamRuntime runtime, CheckpointRecord checkpoint) {
		super(runtime);
		this.checkpoint = checkpoint;
	}

	/**
	 * The checkpoint, with its id, trigger time, duration, committed offsets and, if it
	 * failed, why.
	 * @return the checkpoint
	 */
	public CheckpointRecord getCheckpoint() {
		return this.checkpoint;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "{id=" + this.checkpoint.id() + ", state=" + this.checkpoint.state() + "}";
	}

}
