package dev.kafkastream.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Logs the Kafka clients' own lines at WARN and above unless configured otherwise: every
 * client logs its whole configuration, its version and its group coordination at INFO,
 * hundreds of lines a minute, where kafka-stream logs one line per client it creates.
 * The level is a default of lowest precedence, so any {@code logging.level.org.apache.kafka}
 * the application sets wins; {@code kafka-stream.logging.quiet-kafka=false} leaves the
 * levels to the logging configuration altogether. It runs after the application's
 * configuration was loaded and before Spring Boot applies the log levels.
 */
class KafkaLogLevelsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "kafkaStreamLogLevels";

	static final String QUIET_KAFKA = "kafka-stream.logging.quiet-kafka";

	static final String KAFKA_LEVEL = "logging.level.org.apache.kafka";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getProperty(QUIET_KAFKA, Boolean.class, true)
				&& !environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(KAFKA_LEVEL, "warn")));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
