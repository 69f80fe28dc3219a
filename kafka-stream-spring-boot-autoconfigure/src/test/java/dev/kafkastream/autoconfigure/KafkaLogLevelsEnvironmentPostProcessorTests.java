package dev.kafkastream.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.LogLevel;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaLogLevelsEnvironmentPostProcessor}: Kafka's own logging at WARN
 * by default, any level the application sets winning.
 */
class KafkaLogLevelsEnvironmentPostProcessorTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	@Test
	void logsKafkaAtWarnByDefault() {
		postProcess();
		assertThat(levels()).containsEntry("org.apache.kafka", LogLevel.WARN);
		assertThat(this.environment.getPropertySources().stream().reduce((first, second) -> second).orElseThrow()
			.getName()).isEqualTo(KafkaLogLevelsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
	}

	@Test
	void aLevelInTheApplicationsPropertiesWins() {
		postProcess(new MapPropertySource("application", Map.of("logging.level.org.apache.kafka", "info")));
		assertThat(levels()).containsEntry("org.apache.kafka", LogLevel.INFO);
	}

	@Test
	void aLevelInAnEnvironmentVariableWins() {
		postProcess(new SystemEnvironmentPropertySource("env", Map.of("LOGGING_LEVEL_ORG_APACHE_KAFKA", "DEBUG")));
		assertThat(levels()).containsEntry("org.apache.kafka", LogLevel.DEBUG);
	}

	@Test
	void setsNoLevelWhenSwitchedOff() {
		postProcess(new MapPropertySource("application", Map.of("kafka-stream.logging.quiet-kafka", "false")));
		assertThat(levels()).doesNotContainKey("org.apache.kafka");
	}

	private void postProcess(PropertySource<?>... applicationSources) {
		for (PropertySource<?> source : applicationSources) {
			this.environment.getPropertySources().addFirst(source);
		}
		new KafkaLogLevelsEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
	}

	private Map<String, LogLevel> levels() {
		return Binder.get(this.environment)
			.bind("logging.level", Bindable.mapOf(String.class, LogLevel.class))
			.orElse(Map.of());
	}

}
