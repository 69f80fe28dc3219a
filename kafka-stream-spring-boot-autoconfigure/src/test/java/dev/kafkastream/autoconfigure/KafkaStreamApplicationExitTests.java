package dev.kafkastream.autoconfigure;

import dev.kafkastream.actuate.KafkaStreamLivenessStatePublisher;
import dev.kafkastream.autoconfigure.KafkaStreamProperties.PipelineFailureAction;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.kafkastream.autoconfigure.ConfigurationFailures.findCause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code kafka-stream.on-pipeline-failure} and the beans that end the
 * application: {@link KafkaStreamExitCodeGenerator} and
 * {@link KafkaStreamLivenessStatePublisher}.
 */
class KafkaStreamApplicationExitTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaStreamHealthContributorAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092");

	@Test
	void onPipelineFailureDefaultsToKeepRunning() {
		this.contextRunner.run((context) -> assertThat(context.getBean(KafkaStreamProperties.class).getOnPipelineFailure())
			.isEqualTo(PipelineFailureAction.KEEP_RUNNING));
	}

	@Test
	void onPipelineFailureBindsStopApplication() {
		this.contextRunner.withPropertyValues("kafka-stream.on-pipeline-failure=stop-application")
			.run((context) -> assertThat(context.getBean(KafkaStreamProperties.class).getOnPipelineFailure())
				.isEqualTo(PipelineFailureAction.STOP_APPLICATION));
	}

	@Test
	void anUnknownOnPipelineFailureFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("kafka-stream.on-pipeline-failure=restart").run((context) -> {
			assertThat(context).hasFailed();
			BindException failure = findCause(context.getStartupFailure(), BindException.class);
			assertThat(failure.getName()).hasToString("kafka-stream.on-pipeline-failure");
		});
	}

	@Test
	void exitCodeGeneratorTakesPartInSpringApplicationExit() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(KafkaStreamExitCodeGenerator.class);
			assertThat(context.getBeansOfType(ExitCodeGenerator.class)).containsValue(
					context.getBean(KafkaStreamExitCodeGenerator.class));
			assertThat(SpringApplication.exit(context)).as("no source failed").isZero();
		});
	}

	@Test
	void exitCodeGeneratorBacksOffForAUserBean() {
		KafkaStreamExitCodeGenerator user = new KafkaStreamExitCodeGenerator(() -> {
			throw new IllegalStateException("not called");
		}, java.util.List.of());
		this.contextRunner.withBean("userExitCodeGenerator", KafkaStreamExitCodeGenerator.class, () -> user)
			.run((context) -> assertThat(context).getBean(KafkaStreamExitCodeGenerator.class).isSameAs(user));
	}

	@Test
	void livenessStatePublisherIsPresentWithTheLivenessContributor() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(KafkaStreamLivenessStatePublisher.class));
		this.contextRunner.withPropertyValues("kafka-stream.on-pipeline-failure=stop-application")
			.run((context) -> assertThat(context).hasSingleBean(KafkaStreamLivenessStatePublisher.class));
	}

	@Test
	void livenessStatePublisherFollowsTheLivenessContributorsSwitches() {
		this.contextRunner.withPropertyValues("management.health.kafkastreamliveness.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaStreamLivenessStatePublisher.class));
		this.contextRunner.withPropertyValues("management.endpoint.health.probes.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaStreamLivenessStatePublisher.class));
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasSingleBean(KafkaStreamExitCodeGenerator.class)
				.doesNotHaveBean(KafkaStreamLivenessStatePublisher.class));
	}

	@Test
	void isAbsentWhenKafkaStreamIsSwitchedOff() {
		this.contextRunner.withPropertyValues("kafka-stream.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaStreamExitCodeGenerator.class)
				.doesNotHaveBean(KafkaStreamLivenessStatePublisher.class));
	}

}
