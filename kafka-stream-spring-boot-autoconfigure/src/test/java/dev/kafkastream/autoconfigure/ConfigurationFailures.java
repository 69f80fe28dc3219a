package dev.kafkastream.autoconfigure;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions on an application context that failed to start because of the kafka-stream
 * configuration.
 */
final class ConfigurationFailures {

	private ConfigurationFailures() {
	}

	/**
	 * Asserts the context failed naming the property, with the problem and the action.
	 */
	static void assertFailure(AssertableApplicationContext context, String property, String problem, String action) {
		KafkaStreamConfigurationException failure = assertFailure(context, property, problem);
		assertThat(failure.getMessage()).contains("(property '" + property + "')").contains(action);
	}

	/**
	 * Asserts the context failed naming the property, with the problem.
	 */
	static KafkaStreamConfigurationException assertFailure(AssertableApplicationContext context, String property,
			String problem) {
		KafkaStreamConfigurationException failure = assertFailureNames(context, property);
		assertThat(failure.getMessage()).contains(problem);
		return failure;
	}

	/**
	 * Asserts the context failed with a configuration failure naming the property.
	 */
	static KafkaStreamConfigurationException assertFailureNames(AssertableApplicationContext context,
			String property) {
		assertThat(context).hasFailed();
		KafkaStreamConfigurationException failure = findCause(context.getStartupFailure(),
				KafkaStreamConfigurationException.class);
		assertThat(failure.property()).isEqualTo(property);
		assertThat(failure.getMessage()).contains("'" + property + "'");
		return failure;
	}

	static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		Throwable candidate = failure;
		while (candidate != null && !type.isInstance(candidate)) {
			candidate = candidate.getCause();
		}
		assertThat(candidate).as("%s in %s", type.getSimpleName(), failure).isNotNull();
		return type.cast(candidate);
	}

}
