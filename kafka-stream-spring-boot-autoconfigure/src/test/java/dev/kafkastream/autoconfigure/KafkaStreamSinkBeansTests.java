package dev.kafkastream.autoconfigure;

import java.util.concurrent.CompletableFuture;

import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.sink.KafkaStreamSink;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the {@link KafkaStreamSink} beans of the configured sinks and the
 * {@link KafkaStreamSinks} registry.
 */
class KafkaStreamSinkBeansTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class))
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092");

	private final ApplicationContextRunner twoSinks = this.contextRunner.withPropertyValues(
			"kafka-stream.sinks.enriched.topic=enriched-orders",
			"kafka-stream.sinks.enriched.delivery-guarantee=exactly-once",
			"kafka-stream.sinks.enriched.transactional-id-prefix=orders",
			"kafka-stream.sinks.audit.topic=audit", "kafka-stream.sinks.audit.delivery-guarantee=none");

	@Test
	void registersOneBeanPerSinkNamedAndQualifiedBySinkName() {
		this.twoSinks.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBeansOfType(KafkaStreamSink.class)).containsOnlyKeys("enrichedSink", "auditSink");
			KafkaStreamSink enriched = context.getBean("enrichedSink", KafkaStreamSink.class);
			assertThat(enriched.name()).isEqualTo("enriched");
			assertThat(enriched.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
			assertThat(context.getBean("auditSink", KafkaStreamSink.class).deliveryGuarantee())
				.isEqualTo(DeliveryGuarantee.NONE);
		});
	}

	@Test
	void injectsSinkByQualifier() {
		this.twoSinks.withUserConfiguration(QualifiedInjectionConfiguration.class).run((context) -> {
			Sender sender = context.getBean(Sender.class);
			assertThat(sender.enriched().name()).isEqualTo("enriched");
			assertThat(sender.audit().name()).isEqualTo("audit");
			assertThat(sender.enriched()).isSameAs(context.getBean(KafkaStreamSinks.class).sink("enriched"));
		});
	}

	@Test
	void registryLooksSinksUpByName() {
		this.twoSinks.run((context) -> {
			KafkaStreamSinks sinks = context.getBean(KafkaStreamSinks.class);
			assertThat(sinks.names()).containsExactly("enriched", "audit");
			assertThat(sinks.sink("audit").name()).isEqualTo("audit");
			assertThatIllegalArgumentException().isThrownBy(() -> sinks.sink("missing"))
				.withMessageContaining("No sink 'missing'");
		});
	}

	@Test
	void sendFailsWhileTheRuntimeIsNotRunning() {
		this.twoSinks.run((context) -> {
			CompletableFuture<RecordMetadata> sent = context.getBean("auditSink", KafkaStreamSink.class).send("x");
			assertThat(sent).failsWithin(java.time.Duration.ofSeconds(5))
				.withThrowableThat()
				.havingRootCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessageContaining("Sink 'audit' is not running");
		});
	}

	@Test
	void noSinkBeansWithoutSinks() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(KafkaStreamSink.class);
			assertThat(context.getBean(KafkaStreamSinks.class).names()).isEmpty();
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.twoSinks.withPropertyValues("kafka-stream.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(KafkaStreamSinks.class);
			assertThat(context).doesNotHaveBean(KafkaStreamSink.class);
		});
	}

	@Test
	void userBeanOfTheSameNameWins() {
		this.twoSinks.withUserConfiguration(CustomAuditSinkConfiguration.class).run((context) -> {
			assertThat(context.getBean("auditSink")).isEqualTo("custom");
			assertThat(context.getBeansOfType(KafkaStreamSink.class)).containsOnlyKeys("enrichedSink");
		});
	}

	record Sender(KafkaStreamSink enriched, KafkaStreamSink audit) {

	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedInjectionConfiguration {

		@Bean
		Sender sender(@Qualifier("enriched") KafkaStreamSink enriched, @Qualifier("audit") KafkaStreamSink audit) {
			return new Sender(enriched, audit);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomAuditSinkConfiguration {

		@Bean
		String auditSink() {
			return "custom";
		}

	}

}
