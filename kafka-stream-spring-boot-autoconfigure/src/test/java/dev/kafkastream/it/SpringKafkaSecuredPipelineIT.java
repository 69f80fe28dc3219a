package dev.kafkastream.it;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.test.secure.SecureListener;
import dev.kafkastream.test.secure.SecuredKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SCRAM exactly-once pipeline of {@link SecuredPipelinesIT} with its security coming
 * from Spring Boot's Kafka settings instead of {@code kafka-stream.security.*}: from
 * {@code spring.kafka.*} properties alone, and with the servers of a user
 * {@link KafkaConnectionDetails} bean, which win over the configured ones.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class SpringKafkaSecuredPipelineIT {

	private final SecuredKafkaBroker kafka = SecuredKafkaBroker.shared();

	@Test
	void scramFromSpringKafkaPropertiesOnly(CapturedOutput output) {
		SecuredPipeline.prepare(this.kafka, "boot-scram")
			.runExactlyOnce(SecureListener.SCRAM, "--spring.kafka.security.protocol=SASL_PLAINTEXT",
					"--spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512",
					"--spring.kafka.properties.sasl.jaas.config=" + SecuredKafkaBroker
						.scramJaasConfig(this.kafka.scramUser().username(), this.kafka.scramUser().password()));
		assertThat(output).contains("Security of the consumers of kafka-stream.sources.in: sasl.jaas.config,"
				+ " sasl.mechanism, security.protocol from spring.kafka.*")
			.contains("Security of the producers of kafka-stream.sinks.out: sasl.jaas.config,"
					+ " sasl.mechanism, security.protocol from spring.kafka.*");
	}

	@Test
	void scramWithTheServersOfAKafkaConnectionDetailsBean() {
		SecuredPipeline pipeline = SecuredPipeline.prepare(this.kafka, "details-scram");
		// nothing listens on port 1: only the bean's servers can work
		List<String> arguments = pipeline.arguments("127.0.0.1:1")
			.with(SecuredPipeline.passwordLogin("SASL_PLAINTEXT", "SCRAM-SHA-512", this.kafka.scramUser()))
			.toList();
		List<String> scramListener = List.of(this.kafka.bootstrapServers(SecureListener.SCRAM));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PassThroughApplication.class)
			.web(WebApplicationType.NONE)
			.initializers((GenericApplicationContext application) -> application
				.registerBean(KafkaConnectionDetails.class, () -> () -> scramListener))
			.run(arguments.toArray(String[]::new))) {
			pipeline.assertExactlyOnce(context);
		}
	}

}
