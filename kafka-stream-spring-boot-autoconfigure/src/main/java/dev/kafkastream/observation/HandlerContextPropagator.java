package dev.kafkastream.observation;

import io.micrometer.observation.Observation;
import org.apache.kafka.common.header.Headers;

/**
 * Writes the trace context of a handler call into the headers of a record written for
 * the call, so that whoever reads the record continues the call's trace.
 */
@FunctionalInterface
public interface HandlerContextPropagator {

	/**
	 * Writes the trace context of a call, replacing any trace headers already there.
	 * @param handlerContext the context of the call's observation, which may have ended
	 * @param headers the headers of a record written for the call
	 */
	void inject(Observation.Context handlerContext, Headers headers);

}
