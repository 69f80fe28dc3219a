package dev.kafkastream.autoconfigure;

import dev.kafkastream.handler.InvalidHandlerMethodException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link InvalidHandlerMethodException} with the method to fix.
 */
class InvalidHandlerMethodFailureAnalyzer extends AbstractFailureAnalyzer<InvalidHandlerMethodException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidHandlerMethodException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Change the method's parameters: at most one value parameter, at most one @RecordKey parameter,"
						+ " and any of Headers, RecordContext and ConsumerRecord, each at most once.",
				cause);
	}

}
