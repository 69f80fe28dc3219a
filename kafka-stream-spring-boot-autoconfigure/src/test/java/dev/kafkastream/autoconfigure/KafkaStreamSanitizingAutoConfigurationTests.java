package dev.kafkastream.autoconfigure;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaStreamSanitizingAutoConfiguration}.
 */
class KafkaStreamSanitizingAutoConfigurationTests {

	private static final String PASSWORD = "pw-Secret-1";

	private static final String JAAS = "org.example.Login required token=\"jaas-Secret-2\";";

	private static final String RAW_JAAS = "org.example.Raw required token=\"raw-Secret-3\";";

	private static final String BOOT_PASSWORD = "boot-Secret-4";

	private static final String BUNDLE_PASSWORD = "bundle-Secret-5";

	private static final String BUNDLE_KEY = "-----BEGIN PRIVATE KEY-----bundle-Secret-6";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamSanitizingAutoConfiguration.class,
				KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class, KafkaAutoConfiguration.class,
				EndpointAutoConfiguration.class, ConfigurationPropertiesReportEndpointAutoConfiguration.class,
				EnvironmentEndpointAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("management.endpoint.configprops.show-values=always",
				"management.endpoint.env.show-values=always", "management.endpoints.web.exposure.include=*",
				"kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
				"kafka-stream.security.protocol=SASL_PLAINTEXT", "kafka-stream.security.sasl.mechanism=PLAIN",
				"kafka-stream.security.sasl.jaas-config=" + JAAS, "kafka-stream.sinks.out.security.sasl.username=app",
				"kafka-stream.sinks.out.security.sasl.password=" + PASSWORD, "kafka-stream.sinks.out.topic=out",
				"kafka-stream.properties.sasl.jaas.config=" + RAW_JAAS,
				"spring.kafka.ssl.key-store-password=" + BOOT_PASSWORD,
				"spring.ssl.bundle.jks.client.truststore.password=" + BUNDLE_PASSWORD,
				"spring.ssl.bundle.pem.other.keystore.private-key=" + BUNDLE_KEY);

	@Test
	void configpropsShowsNoKafkaSecret() {
		this.contextRunner.run((context) -> {
			String json = JsonMapper.builder()
				.build()
				.writeValueAsString(context.getBean(ConfigurationPropertiesReportEndpoint.class)
					.configurationProperties());
			assertThat(json).contains("\"username\":\"app\"").contains("******");
			assertThat(json).doesNotContain(PASSWORD, "jaas-Secret-2", "raw-Secret-3", BOOT_PASSWORD, BUNDLE_PASSWORD,
					"bundle-Secret-6");
		});
	}

	@Test
	void envShowsNoKafkaSecret() {
		this.contextRunner.run((context) -> {
			String json = JsonMapper.builder()
				.build()
				.writeValueAsString(context.getBean(EnvironmentEndpoint.class).environment(null));
			assertThat(json).contains("kafka-stream.sinks.out.security.sasl.username").contains("******");
			assertThat(json).doesNotContain(PASSWORD, "jaas-Secret-2", "raw-Secret-3", BOOT_PASSWORD, BUNDLE_PASSWORD,
					"bundle-Secret-6");
		});
	}

	@Test
	void valuesAreShownWithoutTheSanitizingFunction() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
					EndpointAutoConfiguration.class, ConfigurationPropertiesReportEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoint.configprops.show-values=always",
					"management.endpoints.web.exposure.include=*", "kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
					"kafka-stream.security.sasl.jaas-config=" + JAAS)
			.run((context) -> assertThat(JsonMapper.builder()
				.build()
				.writeValueAsString(context.getBean(ConfigurationPropertiesReportEndpoint.class)
					.configurationProperties())).contains("jaas-Secret-2"));
	}

}
