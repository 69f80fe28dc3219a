package dev.kafkastream.event;

import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.runtime.KafkaStreamRuntime;

/**
 * Published when a checkpoint completed: every worker and sink committed what it
 * processed.
 */
public class CheckpointCompletedEvent extends CheckpointEvent {

	public CheckpointCompletedEvent(KafkaStreamRuntime runtime, CheckpointRecord checkpoint) {
		super(runtime, checkpoint);
	}

}
