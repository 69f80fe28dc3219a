package dev.kafkastream.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observations of handler calls; a bean of this type replaces
 * {@link DefaultKafkaStreamHandlerObservationConvention}.
 */
public interface KafkaStreamHandlerObservationConvention extends ObservationConvention<KafkaStreamHandlerContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof KafkaStreamHandlerContext;
	}

}
