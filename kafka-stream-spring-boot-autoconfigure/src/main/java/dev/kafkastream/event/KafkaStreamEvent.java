package dev.kafkastream.event;

import dev.kafkastream.runtime.KafkaStreamRuntime;

import org.springframework.context.ApplicationEvent;

/**
 * Base class of the application events of kafka-stream. They are published on the
 * runtime's own threads (a worker's, or the checkpoint coordinator's) while it waits:
 * a listener must be quick, or hand the work to another thread ({@code @Async}).
 */
public abstract class KafkaStreamEvent extends ApplicationEvent {

	protected KafkaStreamEvent(KafkaStreamRuntime runtime) {
		super(runtime);
	}

	/**
	 * The runtime the event comes from.
	 * @return the runtime
	 */
	public KafkaStreamRuntime getRuntime() {
		return (KafkaStreamRuntime) getSource();
	}

}
