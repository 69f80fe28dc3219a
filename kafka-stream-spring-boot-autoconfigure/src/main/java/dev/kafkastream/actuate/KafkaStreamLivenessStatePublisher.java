package dev.kafkastream.actuate;

import java.util.function.Supplier;

import dev.kafkastream.event.SourceStateChangedEvent;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Publishes Spring Boot's {@link LivenessState#BROKEN} once a source failed with a
 * failure that restarting the application cures, the same rule as the
 * {@code kafkaStreamLiveness} contributor, so that Boot's own {@code livenessState}
 * indicator and {@code ApplicationAvailability} agree with it. Publishes nothing before
 * the application is ready, since Spring Boot publishes {@link LivenessState#CORRECT}
 * itself once it started, and never publishes {@code CORRECT} back: the liveness state
 * is the whole application's, which may be broken for other reasons too.
 */
public class KafkaStreamLivenessStatePublisher implements ApplicationListener<ApplicationEvent> {

	private static final Logger logger = LoggerFactory.getLogger(KafkaStreamLivenessStatePublisher.class);

	private final Supplier<KafkaStreamRuntime> runtime;

	private final ApplicationEventPublisher publisher;

	private boolean ready;

	private boolean published;

	public KafkaStreamLivenessStatePublisher(Supplier<KafkaStreamRuntime> runtime,
			ApplicationEventPublisher publisher) {
		this.runtime = runtime;
		this.publisher = publisher;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationReadyEvent) {
			synchronized (this) {
				this.ready = true;
				publishIfBroken();
			}
		}
		else if (event instanceof SourceStateChangedEvent changed && changed.getState() == PipelineState.FAILED) {
			synchronized (this) {
				publishIfBroken();
			}
		}
	}

	private void publishIfBroken() {
		if (!this.ready || this.published) {
			return;
		}
		for (Pipeline pipeline : this.runtime.get().pipelines()) {
			if (pipeline.state() == PipelineState.FAILED && RestartCurableFailures.isCurable(pipeline.failureCause())) {
				this.published = true;
				logger.warn("Pipeline '{}' failed with a failure a restart cures: the liveness state is now BROKEN",
						pipeline.name());
				AvailabilityChangeEvent.publish(this.publisher, this, LivenessState.BROKEN);
				return;
			}
		}
	}

}
