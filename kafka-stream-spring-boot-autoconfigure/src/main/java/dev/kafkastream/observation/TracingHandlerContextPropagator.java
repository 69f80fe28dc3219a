package dev.kafkastream.observation;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Writes the context of the span that Micrometer Tracing made for a handler call through
 * the application's {@link Propagator}: W3C {@code traceparent}, B3, or whatever
 * {@code management.tracing.propagation} says. Every header the propagator uses is
 * removed first, so a trace header copied from the input record or set by the handler
 * does not stay beside the call's.
 */
public final class TracingHandlerContextPropagator implements HandlerContextPropagator {

	private final Propagator propagator;

	private final List<String> fields;

	public TracingHandlerContextPropagator(Propagator propagator) {
		this.propagator = propagator;
		this.fields = List.copyOf(propagator.fields());
	}

	@Override
	public void inject(Observation.Context handlerContext, Headers headers) {
		TracingObservationHandler.TracingContext tracing = handlerContext
			.get(TracingObservationHandler.TracingContext.class);
		Span span = (tracing != null) ? tracing.getSpan() : null;
		if (span == null) {
			// no tracing handler made a span for the call: the headers stay as they are
			return;
		}
		for (String field : this.fields) {
			headers.remove(field);
		}
		this.propagator.inject(span.context(), headers, TracingHandlerContextPropagator::set);
	}

	private static void set(@Nullable Headers headers, String name, String value) {
		if (headers != null) {
			headers.remove(name);
			headers.add(name, value.getBytes(StandardCharsets.UTF_8));
		}
	}

}
