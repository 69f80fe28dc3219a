package dev.kafkastream.autoconfigure;

import dev.kafkastream.actuate.KafkaStreamEndpoint;
import dev.kafkastream.actuate.KafkaStreamEndpoint.KafkaStreamDescriptor;
import dev.kafkastream.actuate.KafkaStreamHealthIndicator;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.runtime.PipelineState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaStreamEndpointAutoConfiguration} and
 * {@link KafkaStreamHealthContributorAutoConfiguration}.
 */
class KafkaStreamActuatorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaStreamEndpointAutoConfiguration.class, KafkaStreamHealthContributorAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
				"kafka-stream.sources.words.topics=words", "kafka-stream.sources.words.group-id=g",
				"management.endpoints.web.exposure.include=kafkastream")
		.withUserConfiguration(WordsConfiguration.class);

	@Test
	void endpointDescribesPipelinesAndCheckpoints() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(KafkaStreamEndpoint.class);
			KafkaStreamDescriptor descriptor = context.getBean(KafkaStreamEndpoint.class).kafkaStream();
			assertThat(descriptor.running()).isFalse();
			assertThat(descriptor.sources()).containsOnlyKeys("words");
			assertThat(descriptor.sources().get("words")).satisfies((source) -> {
				assertThat(source.state()).isEqualTo(PipelineState.CREATED);
				assertThat(source.subscription()).isEqualTo("topics [words]");
				assertThat(source.groupId()).isEqualTo("g");
				assertThat(source.sinks()).isEmpty();
				assertThat(source.workers()).hasSize(1);
				assertThat(source.recordsPerSecond()).as("unknown before a second read").isNull();
			});
			assertThat(descriptor.checkpoints().counts().completed()).isZero();
			assertThat(descriptor.checkpoints().history()).isEmpty();
		});
	}

	@Test
	void endpointBacksOffWhenNotExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaStreamEndpoint.class));
	}

	@Test
	void healthIsUpForPipelinesThatDidNotFail() {
		this.contextRunner.run((context) -> {
			Health health = context.getBean("kafkaStreamHealthIndicator", KafkaStreamHealthIndicator.class)
				.health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsKey("pipelines").containsKey("checkpoints");
		});
	}

	@Test
	void healthIndicatorCanBeDisabled() {
		this.contextRunner.withPropertyValues("management.health.kafkaStream.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaStreamHealthIndicator.class));
	}

	@Test
	void actuatorBeansBackOffWhenKafkaStreamIsDisabled() {
		this.contextRunner.withPropertyValues("kafka-stream.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaStreamEndpoint.class)
				.doesNotHaveBean(KafkaStreamHealthIndicator.class));
	}

	static class Words {

		@KafkaStreamHandler(source = "words")
		void count(String word) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WordsConfiguration {

		@Bean
		Words words() {
			return new Words();
		}

	}

}
