package dev.kafkastream.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports {@code kafka-stream} properties that bind to nothing (a misspelt key would
 * otherwise be ignored and its default apply), each with the closest valid key of its
 * group. Other unbound properties are left to Spring Boot's own analyzer.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnknownPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException> {

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("kafka-stream");

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
		List<ConfigurationProperty> unknown = cause.getUnboundProperties()
			.stream()
			.filter((property) -> PREFIX.isAncestorOf(property.getName()))
			.sorted()
			.toList();
		if (unknown.isEmpty()) {
			return null;
		}
		String description = unknown.stream()
			.map(UnknownPropertiesFailureAnalyzer::describe)
			.collect(Collectors.joining("\n", "kafka-stream is misconfigured: these properties bind to nothing, so"
					+ " their settings would be ignored:\n", ""));
		return new FailureAnalysis(description,
				"Rename each property to the one it was meant to be, or remove it. Free-form Kafka client settings go"
						+ " under 'kafka-stream.properties', or a source's or sink's 'properties'.",
				cause);
	}

	private static String describe(ConfigurationProperty property) {
		StringBuilder line = new StringBuilder("    - '").append(property.getName()).append('\'');
		Origin origin = property.getOrigin();
		if (origin != null) {
			line.append(" (").append(origin).append(')');
		}
		ConfigurationPropertyName closest = PropertyNameSuggestions.closest(property.getName());
		if (closest != null) {
			line.append(": did you mean '").append(closest).append("'?");
		}
		return line.toString();
	}

}
