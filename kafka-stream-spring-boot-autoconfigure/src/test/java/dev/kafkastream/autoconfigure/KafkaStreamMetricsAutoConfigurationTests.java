package dev.kafkastream.autoconfigure;

import dev.kafkastream.actuate.KafkaClientMetricsListener;
import dev.kafkastream.actuate.ProducerSendTimes;
import dev.kafkastream.handler.KafkaStreamHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaStreamMetricsAutoConfiguration}.
 */
class KafkaStreamMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaStreamMetricsAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
				"kafka-stream.sources.words.topics=words", "kafka-stream.sources.words.group-id=g",
				"spring.application.name=words-app")
		.withUserConfiguration(WordsConfiguration.class);

	@Test
	void metersOfThePipelinesAreBoundWithTheApplicationTag() {
		this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(KafkaClientMetricsListener.class).hasSingleBean(ProducerSendTimes.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("kafka.stream.source.records.in")
				.tags("source", "words", "application", "words-app")
				.functionCounter()
				.count()).isZero();
			assertThat(registry.get("kafka.stream.source.state").tags("state", "CREATED").gauge().value()).isOne();
			assertThat(registry.get("kafka.stream.checkpoints").tags("outcome", "completed").functionCounter())
				.isNotNull();
		});
	}

	@Test
	void applicationTagIsLeftToACommonTagOfTheSameName() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("management.metrics.tags.application=common")
			.run((context) -> assertThat(context.getBean(MeterRegistry.class)
				.get("kafka.stream.source.records.in")
				.functionCounter()
				.getId()
				.getTag("application")).isNull());
	}

	@Test
	void backsOffWithoutAMeterRegistry() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(KafkaStreamMetricsRegistrar.class)
			.doesNotHaveBean(KafkaClientMetricsListener.class));
	}

	@Test
	void metricsCanBeSwitchedOff() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("kafka-stream.metrics.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(KafkaStreamMetricsRegistrar.class)
					.doesNotHaveBean(KafkaClientMetricsListener.class);
				assertThat(context.getBean(MeterRegistry.class).find("kafka.stream.source.records.in").meter())
					.isNull();
			});
	}

	@Test
	void clientMetricsCanBeSwitchedOffAlone() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("kafka-stream.metrics.client-metrics=false")
			.run((context) -> assertThat(context).hasSingleBean(KafkaStreamMetricsRegistrar.class)
				.doesNotHaveBean(KafkaClientMetricsListener.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class WordsConfiguration {

		@Bean
		Words words() {
			return new Words();
		}

	}

	static class Words {

		@KafkaStreamHandler(source = "words")
		void handle(String word) {
		}

	}

}
