package dev.kafkastream.observation;

import dev.kafkastream.runtime.HandlerObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Makes each handler call of one source's pipeline an observation, in scope on the
 * worker's thread while the handler runs, so that what the handler does (logging, its
 * own clients) belongs to the call's span.
 */
final class MicrometerHandlerObserver implements HandlerObserver {

	private final ObservationRegistry registry;

	private final @Nullable KafkaStreamHandlerObservationConvention convention;

	private final @Nullable HandlerContextPropagator propagator;

	private final String source;

	private final @Nullable String groupId;

	MicrometerHandlerObserver(ObservationRegistry registry, @Nullable KafkaStreamHandlerObservationConvention convention,
			@Nullable HandlerContextPropagator propagator, String source, @Nullable String groupId) {
		this.registry = registry;
		this.convention = convention;
		this.propagator = propagator;
		this.source = source;
		this.groupId = groupId;
	}

	@Override
	public Call start(ConsumerRecord<?, ?> record) {
		Observation observation = KafkaStreamObservation.HANDLER
			.observation(this.convention, DefaultKafkaStreamHandlerObservationConvention.INSTANCE,
					() -> new KafkaStreamHandlerContext(record, this.source, this.groupId), this.registry)
			.start();
		return new ObservedCall(observation, observation.openScope(), this.propagator);
	}

	/**
	 * A call whose observation is in scope until it ends.
	 */
	private static final class ObservedCall implements Call {

		private final Observation observation;

		private final Observation.Scope scope;

		private final @Nullable HandlerContextPropagator propagator;

		ObservedCall(Observation observation, Observation.Scope scope, @Nullable HandlerContextPropagator propagator) {
			this.observation = observation;
			this.scope = scope;
			this.propagator = propagator;
		}

		@Override
		public void succeeded() {
			end();
		}

		@Override
		public void failed(Throwable failure) {
			this.observation.error(failure);
			end();
		}

		private void end() {
			this.scope.close();
			this.observation.stop();
		}

		@Override
		public void addHeaders(Headers headers) {
			if (this.propagator != null) {
				this.propagator.inject(this.observation.getContext(), headers);
			}
		}

	}

}
