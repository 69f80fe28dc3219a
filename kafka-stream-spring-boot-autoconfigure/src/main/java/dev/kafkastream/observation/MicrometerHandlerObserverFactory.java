package dev.kafkastream.observation;

import dev.kafkastream.runtime.HandlerObserver;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes handler calls with Micrometer Observation: each call is a
 * {@link KafkaStreamObservation#HANDLER} observation.
 */
public final class MicrometerHandlerObserverFactory implements HandlerObserverFactory {

	private final ObservationRegistry registry;

	private final @Nullable KafkaStreamHandlerObservationConvention convention;

	private final @Nullable HandlerContextPropagator propagator;

	/**
	 * Creates a factory.
	 * @param registry the registry the observations go to
	 * @param convention the convention replacing the default one, or {@code null}
	 * @param propagator what writes a call's trace context into the records written for
	 * it, or {@code null} to write none
	 */
	public MicrometerHandlerObserverFactory(ObservationRegistry registry,
			@Nullable KafkaStreamHandlerObservationConvention convention,
			@Nullable HandlerContextPropagator propagator) {
		this.registry = registry;
		this.convention = convention;
		this.propagator = propagator;
	}

	@Override
	public HandlerObserver observerFor(String source, @Nullable String groupId) {
		return new MicrometerHandlerObserver(this.registry, this.convention, this.propagator, source, groupId);
	}

}
