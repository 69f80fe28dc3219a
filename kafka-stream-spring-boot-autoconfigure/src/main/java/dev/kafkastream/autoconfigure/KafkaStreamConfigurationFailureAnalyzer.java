package dev.kafkastream.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link KafkaStreamConfigurationException} with the property to fix.
 */
class KafkaStreamConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<KafkaStreamConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KafkaStreamConfigurationException cause) {
		return new FailureAnalysis("kafka-stream is misconfigured: " + cause.getMessage(),
				"Fix the property '" + cause.property() + "'. " + cause.action(), cause);
	}

}
