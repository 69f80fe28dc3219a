package dev.kafkastream.autoconfigure;

import dev.kafkastream.actuate.KafkaStreamEndpoint;
import dev.kafkastream.actuate.KafkaStreamEndpoint.KafkaStreamDescriptor;
import java.time.Duration;

import dev.kafkastream.actuate.KafkaStreamHealthIndicator;
import dev.kafkastream.actuate.KafkaStreamHealthThresholds;
import dev.kafkastream.actuate.KafkaStreamLivenessHealthIndicator;
import dev.kafkastream.actuate.KafkaStreamReadinessHealthIndicator;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.runtime.PipelineState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
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
			assertThat(health.getDetails()).containsKeys("running", "pipelines", "checkpoints")
				.doesNotContainKey("reasons");
		});
	}

	@Test
	void healthIndicatorCanBeDisabledLikeSpringBootsOwn() {
		this.contextRunner.withPropertyValues("management.health.kafkastream.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaStreamHealthIndicator.class)
				.hasSingleBean(KafkaStreamReadinessHealthIndicator.class));
	}

	@Test
	void healthIndicatorCanBeDisabledWithTheContributorName() {
		this.contextRunner.withPropertyValues("management.health.kafkaStream.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaStreamHealthIndicator.class));
	}

	@Test
	void healthIndicatorsAreDisabledWithSpringBootsDefaults() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaStreamHealthIndicator.class)
				.doesNotHaveBean(KafkaStreamReadinessHealthIndicator.class)
				.doesNotHaveBean(KafkaStreamLivenessHealthIndicator.class));
	}

	@Test
	void healthIndicatorBacksOffForAUserBean() {
		this.contextRunner.withBean("kafkaStreamHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaStreamHealthIndicator.class)
				.hasBean("kafkaStreamHealthIndicator"));
	}

	@Test
	void probeIndicatorsArePresentWithTheAvailabilityProbes() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(KafkaStreamReadinessHealthIndicator.class)
				.hasSingleBean(KafkaStreamLivenessHealthIndicator.class);
			assertThat(context.getBean(KafkaStreamReadinessHealthIndicator.class).health(true).getStatus())
				.as("a pipeline that was not started is not ready")
				.isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(context.getBean(KafkaStreamLivenessHealthIndicator.class).health(true).getStatus())
				.isEqualTo(Status.UP);
		});
	}

	@Test
	void probeIndicatorsAreAbsentWithoutTheAvailabilityProbes() {
		this.contextRunner.withPropertyValues("management.endpoint.health.probes.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(KafkaStreamHealthIndicator.class)
				.doesNotHaveBean(KafkaStreamReadinessHealthIndicator.class)
				.doesNotHaveBean(KafkaStreamLivenessHealthIndicator.class));
	}

	@Test
	void probeIndicatorsCanBeDisabledOneByOne() {
		this.contextRunner
			.withPropertyValues("management.health.kafkastreamreadiness.enabled=false",
					"management.health.kafkastreamliveness.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(KafkaStreamHealthIndicator.class)
				.doesNotHaveBean(KafkaStreamReadinessHealthIndicator.class)
				.doesNotHaveBean(KafkaStreamLivenessHealthIndicator.class));
	}

	@Test
	void probeIndicatorsBackOffForUserBeans() {
		this.contextRunner.withBean("kafkaStreamReadinessHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.withBean("kafkaStreamLivenessHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaStreamReadinessHealthIndicator.class)
				.doesNotHaveBean(KafkaStreamLivenessHealthIndicator.class));
	}

	@Test
	void healthIndicatorsAreAbsentWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasSingleBean(KafkaStreamLifecycle.class)
				.doesNotHaveBean(KafkaStreamHealthIndicator.class)
				.doesNotHaveBean(KafkaStreamReadinessHealthIndicator.class)
				.doesNotHaveBean(KafkaStreamLivenessHealthIndicator.class));
	}

	@Test
	void thresholdsDefaultToThreeCheckpointCyclesAndNoLagLimit() {
		this.contextRunner
			.withPropertyValues("kafka-stream.checkpoint.interval=2s", "kafka-stream.checkpoint.timeout=10s",
					"kafka-stream.checkpoint.min-pause=1s", "kafka-stream.lag.refresh-interval=4s")
			.run((context) -> assertThat(thresholds(context))
				.isEqualTo(new KafkaStreamHealthThresholds(Duration.ofSeconds(39), 3, null)));
	}

	@Test
	void thresholdsAreBoundFromManagementHealthKafkaStream() {
		this.contextRunner
			.withPropertyValues("management.health.kafkastream.max-checkpoint-age=5m",
					"management.health.kafkastream.tolerated-checkpoint-failures=0",
					"management.health.kafkastream.max-lag=10000")
			.run((context) -> assertThat(thresholds(context))
				.isEqualTo(new KafkaStreamHealthThresholds(Duration.ofMinutes(5), 0, 10_000L)));
	}

	@Test
	void maxLagWithoutLagLookupsFailsNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("management.health.kafkastream.max-lag=100", "kafka-stream.lag.refresh-interval=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(KafkaStreamConfigurationException.class)
				.hasMessageContaining("management.health.kafkastream.max-lag")
				.hasMessageContaining("kafka-stream.lag.refresh-interval is 0"));
	}

	@Test
	void nonPositiveMaxCheckpointAgeFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("management.health.kafkastream.max-checkpoint-age=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(KafkaStreamConfigurationException.class)
				.hasMessageContaining("management.health.kafkastream.max-checkpoint-age"));
	}

	@Test
	void actuatorBeansBackOffWhenKafkaStreamIsDisabled() {
		this.contextRunner.withPropertyValues("kafka-stream.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaStreamEndpoint.class)
				.doesNotHaveBean(KafkaStreamHealthIndicator.class)
				.doesNotHaveBean(KafkaStreamReadinessHealthIndicator.class)
				.doesNotHaveBean(KafkaStreamLivenessHealthIndicator.class));
	}

	private static KafkaStreamHealthThresholds thresholds(AssertableApplicationContext context) {
		return KafkaStreamHealthContributorAutoConfiguration.thresholds(context.getBean(KafkaStreamProperties.class),
				context.getBean(KafkaStreamHealthIndicatorProperties.class));
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
