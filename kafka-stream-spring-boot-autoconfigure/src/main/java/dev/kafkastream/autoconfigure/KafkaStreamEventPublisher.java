package dev.kafkastream.autoconfigure;

import dev.kafkastream.checkpoint.CheckpointRecord;
import dev.kafkastream.checkpoint.CheckpointState;
import dev.kafkastream.event.CheckpointCompletedEvent;
import dev.kafkastream.event.CheckpointFailedEvent;
import dev.kafkastream.event.SourceStateChangedEvent;
import dev.kafkastream.runtime.KafkaStreamRuntime;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the runtime's checkpoints and state changes as application events.
 */
final class KafkaStreamEventPublisher {

	private KafkaStreamEventPublisher() {
	}

	/**
	 * Makes the runtime publish its events through the publisher.
	 * @param runtime the runtime
	 * @param publisher the publisher, typically the application context
	 */
	static void publishEventsOf(KafkaStreamRuntime runtime, ApplicationEventPublisher publisher) {
		runtime.addStateListener((pipeline, previous, current) -> publisher
			.publishEvent(new SourceStateChangedEvent(runtime, pipeline, previous, current)));
		runtime.checkpoints().addListener((checkpoint) -> publisher.publishEvent(event(runtime, checkpoint)));
	}

	private static Object event(KafkaStreamRuntime runtime, CheckpointRecord checkpoint) {
		return (checkpoint.state() == CheckpointState.COMPLETED) ? new CheckpointCompletedEvent(runtime, checkpoint)
				: new CheckpointFailedEvent(runtime, checkpoint);
	}

}
