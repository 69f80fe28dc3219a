package dev.kafkastream.event;

import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.runtime.KafkaStreamRuntime;

/**
 * Published when a checkpoint failed: a participant declined it or it timed out. Its
 * {@link CheckpointRecord#failure() failure} says why.
 */
public class CheckpointFailedEvent extends CheckpointEvent {

	public CheckpointFailedEvent(KafkaStreamRuntime runtime, CheckpointRecord checkpoint) {
		super(runtime, checkpoint);
	}

}
