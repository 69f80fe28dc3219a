package dev.kafkastream.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code kafka-stream} properties that bind to nothing: the start fails, naming
 * each with the closest valid property, instead of the default applying silently; and
 * for keys of the free-form client maps that no Kafka client knows: a warning names them.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
				"kafka-stream.sources.in.topics=orders", "kafka-stream.sources.in.group-id=g",
				"kafka-stream.sinks.out.topic=out")
		.withUserConfiguration(KafkaStreamSourcePropertiesTests.UpperCaseConfiguration.class);

	@Test
	void misspeltSourcePropertyFailsTheStartNamingTheValidOne() {
		this.contextRunner.withPropertyValues("kafka-stream.sources.in.on-deserialisation-error=dead-letter")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("'kafka-stream.sources.in.on-deserialisation-error'")
				.contains("did you mean 'kafka-stream.sources.in.on-deserialization-error'?"));
	}

	@Test
	void misspeltSinkPropertyIsReportedAsSuchNotAsAMissingValue() {
		this.contextRunner
			.withPropertyValues("kafka-stream.sinks.out.delivery-guarantee=exactly-once",
					"kafka-stream.sinks.out.transactional-id-prefx=orders")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("did you mean 'kafka-stream.sinks.out.transactional-id-prefix'?"));
	}

	@Test
	void misspeltTopLevelAndNestedGroupProperties() {
		this.contextRunner
			.withPropertyValues("kafka-stream.bootstrap-server=localhost:9092", "kafka-stream.checkpoint.intervall=2s")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("did you mean 'kafka-stream.bootstrap-servers'?")
				.contains("did you mean 'kafka-stream.checkpoint.interval'?"));
	}

	@Test
	void aPropertyCloseToNothingIsNamedWithoutSuggestion() {
		this.contextRunner.withPropertyValues("kafka-stream.sources.in.zebra=1")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("'kafka-stream.sources.in.zebra'")
				.doesNotContain("did you mean"));
	}

	@Test
	void freeFormClientPropertiesBindToTheirMaps() {
		this.contextRunner
			.withPropertyValues("kafka-stream.properties.max.poll.records=10",
					"kafka-stream.sources.in.properties.fetch.min.bytes=1",
					"kafka-stream.sinks.out.properties.linger.ms=1")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void developmentBrokerPropertiesAreAcceptedWithoutTheDevelopmentBrokerModule() {
		this.contextRunner
			.withPropertyValues("kafka-stream.dev-broker.data-directory=target/kafka",
					"kafka-stream.dev-broker.skip.in-tests=false", "kafka-stream.dev-broker.partitions=3")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void unknownKafkaClientKeysInFreeFormMapsAreNamedInAWarning(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("kafka-stream.properties.max.poll.record=10",
					"kafka-stream.sinks.out.properties.schema.registry.url=http://registry",
					"kafka-stream.sources.in.properties.fetch.min.bytes=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(KafkaStreamLifecycle.class).getRuntime();
				assertThat(output).contains("'kafka-stream.properties.max.poll.record' is not a Kafka client setting:"
						+ " it is passed on, but no Kafka client uses it (did you mean 'max.poll.records'?)")
					.contains("'kafka-stream.sinks.out.properties.schema.registry.url' is not a Kafka client setting")
					.doesNotContain("fetch.min.bytes' is not");
			});
	}

	private static FailureAnalysis analysis(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new UnknownPropertiesFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).isNotNull();
		assertThat(analysis.getAction()).contains("Rename each property");
		return analysis;
	}

}
