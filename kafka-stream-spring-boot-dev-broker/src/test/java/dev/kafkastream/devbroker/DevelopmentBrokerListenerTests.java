package dev.kafkastream.devbroker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DevelopmentBrokerListener} deciding not to start a broker.
 */
class DevelopmentBrokerListenerTests {

	@ParameterizedTest
	@ValueSource(strings = { "--kafka-stream.bootstrap-servers=broker:9092",
			"--spring.kafka.bootstrap-servers=broker:9092", "--kafka-stream.dev-broker.enabled=false" })
	void doesNotStartWhenServersAreConfiguredOrWhenDisabled(String argument) {
		try (ConfigurableApplicationContext context = run(argument, "--kafka-stream.dev-broker.skip.in-tests=false")) {
			assertNoBroker(context);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "--kafka-stream.dev-broker.enabled=true", "--kafka-stream.dev-broker.skip.in-tests=true" })
	void doesNotStartInTestsByDefault(String argument) {
		try (ConfigurableApplicationContext context = run(argument)) {
			assertNoBroker(context);
		}
	}

	@Test
	void doesNotStartDuringAotProcessing() {
		System.setProperty("spring.aot.processing", "true");
		try (ConfigurableApplicationContext context = run("--kafka-stream.dev-broker.skip.in-tests=false")) {
			assertNoBroker(context);
		}
		finally {
			System.clearProperty("spring.aot.processing");
		}
	}

	private static void assertNoBroker(ConfigurableApplicationContext context) {
		assertThat(context.containsBean(DevelopmentBrokerListener.BEAN_NAME)).isFalse();
		assertThat(context.getEnvironment().getPropertySources().contains(DevelopmentBrokerListener.PROPERTY_SOURCE_NAME))
			.isFalse();
	}

	private static ConfigurableApplicationContext run(String... args) {
		return new SpringApplicationBuilder(EmptyConfiguration.class).web(WebApplicationType.NONE).run(args);
	}

	@Configuration(proxyBeanMethods = false)
	static class EmptyConfiguration {

	}

}
