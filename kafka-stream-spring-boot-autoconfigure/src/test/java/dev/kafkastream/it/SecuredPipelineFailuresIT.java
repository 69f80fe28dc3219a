package dev.kafkastream.it;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.autoconfigure.KafkaStreamConfigurationException;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.WorkerStatus;
import dev.kafkastream.test.TopicContent;
import dev.kafkastream.test.secure.SecureListener;
import dev.kafkastream.test.secure.SecuredKafkaBroker;
import dev.kafkastream.test.secure.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Secured exactly-once pipelines the broker refuses, or that cannot log in at all: a
 * wrong SCRAM password, an untrusted client certificate and an expired Kerberos ticket
 * fail the pipeline at its first attempt with one error naming the refused client and
 * the cause, health DOWN and nothing committed; a keytab that does not exist stops the
 * application from starting, naming the property.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class SecuredPipelineFailuresIT {

	private final SecuredKafkaBroker kafka = SecuredKafkaBroker.shared();

	@Test
	void wrongScramPassword(CapturedOutput output) throws Exception {
		String wrongPassword = this.kafka.scramUser().password() + "-wrong";
		SecuredPipeline pipeline = SecuredPipeline.prepare(this.kafka, "wrong-password");
		assertFailsAtOnceWithNothingCommitted(pipeline, pipeline.arguments(SecureListener.SCRAM)
			.with(SecuredPipeline.passwordLogin("SASL_PLAINTEXT", "SCRAM-SHA-512",
					new SecuredKafkaBroker.Credentials(this.kafka.scramUser().username(), wrongPassword))),
				"Source 'in' could not authenticate to Kafka: SaslAuthenticationException: Authentication failed"
						+ " during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512. Retrying"
						+ " cannot fix this: check the security settings ('kafka-stream.sources.in.security',"
						+ " 'kafka-stream.security') and the broker's users and ACLs.",
				1);
		assertThat(output).doesNotContain(wrongPassword);
	}

	@Test
	void untrustedClientCertificate() throws Exception {
		TestCertificates certificates = this.kafka.certificates();
		SecuredPipeline pipeline = SecuredPipeline.prepare(this.kafka, "untrusted");
		assertFailsAtOnceWithNothingCommitted(pipeline, pipeline.arguments(SecureListener.SSL)
			.with(SecuredPipeline.arguments(certificates.pemSslBundleProperties("client", certificates.untrustedClient()),
					"--kafka-stream.security.protocol=SSL", "--kafka-stream.security.ssl.bundle=client")),
				"Source 'in' could not authenticate to Kafka: SslAuthenticationException: SSLHandshakeException:"
						+ " Received fatal alert: bad_certificate. Retrying cannot fix this: check the security"
						+ " settings ('kafka-stream.sources.in.security', 'kafka-stream.security') and the broker's"
						+ " users and ACLs.",
				1);
	}

	@Test
	void expiredKerberosTicket() throws Exception {
		Duration lifetime = Duration.ofSeconds(1);
		Instant expiry = Instant.now().plus(lifetime);
		Path cache = this.kafka.kdc().writeTicketCache(this.kafka.kerberosClient(), "expired.ccache", lifetime);
		SecuredPipeline pipeline = SecuredPipeline.prepare(this.kafka, "expired-ticket");
		await().atMost(lifetime.multipliedBy(5)).until(() -> Instant.now().isAfter(expiry.plusMillis(500)));
		// the consumer cannot be created: the worker stops before its first attempt
		assertFailsAtOnceWithNothingCommitted(pipeline, pipeline.arguments(SecureListener.GSSAPI)
			.with("--kafka-stream.security.protocol=SASL_PLAINTEXT", "--kafka-stream.security.sasl.mechanism=GSSAPI",
					"--kafka-stream.security.kerberos.use-ticket-cache=true",
					"--kafka-stream.security.kerberos.ticket-cache=" + cache,
					"--kafka-stream.security.kerberos.krb5-config=" + this.kafka.krb5Conf()),
				"Source 'in' could not log in: LoginException: Could not login: the client is being asked for a"
						+ " password, but the Kafka client code does not currently support obtaining a password from the"
						+ " user. not available to garner  authentication information from the user. Check the security"
						+ " settings ('kafka-stream.sources.in.security', 'kafka-stream.security') and the login's"
						+ " credentials, such as the Kerberos keytab or ticket cache.",
				0);
	}

	@Test
	void missingKeytabStopsTheStart(CapturedOutput output) throws Exception {
		Path keytab = this.kafka.kerberosClient().keytab().resolveSibling("missing.keytab");
		SecuredPipeline pipeline = SecuredPipeline.prepare(this.kafka, "missing-keytab");
		PipelineArguments arguments = pipeline.arguments(SecureListener.GSSAPI)
			.with("--kafka-stream.security.protocol=SASL_PLAINTEXT", "--kafka-stream.security.sasl.mechanism=GSSAPI",
					"--kafka-stream.security.kerberos.principal=" + this.kafka.kerberosClient().principal(),
					"--kafka-stream.security.kerberos.keytab=" + keytab,
					"--kafka-stream.security.kerberos.krb5-config=" + this.kafka.krb5Conf());
		assertThatExceptionOfType(KafkaStreamConfigurationException.class)
			.isThrownBy(() -> arguments.run(PassThroughApplication.class))
			.satisfies((failure) -> assertThat(failure.property()).isEqualTo("kafka-stream.security.kerberos.keytab"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("kafka-stream is misconfigured: The keytab '" + keytab + "' does not exist (property"
					+ " 'kafka-stream.security.kerberos.keytab')")
			.contains("Fix the property 'kafka-stream.security.kerberos.keytab'. Fix the path.");
		assertThat(TopicContent.committedOffsets(this.kafka.admin(), pipeline.input())).isEmpty();
	}

	/**
	 * Runs the application with many recovery attempts allowed, and asserts that its
	 * worker fails the pipeline after the given number of attempts with the given failure,
	 * health DOWN and nothing committed.
	 */
	private static void assertFailsAtOnceWithNothingCommitted(SecuredPipeline pipeline, PipelineArguments arguments,
			String failure, int attempts) throws Exception {
		try (ConfigurableApplicationContext context = arguments.with("--kafka-stream.recovery.max-attempts=1000")
			.run(PassThroughApplication.class)) {
			Pipeline failed = pipeline.awaitFailedWithNothingCommitted(context);
			assertThat(failed.failure()).isEqualTo("kafka-stream-in-0: dev.kafkastream.core.NonRetryableException: "
					+ failure);
			assertThat(failed.workers()).extracting(WorkerStatus::consecutiveFailures).containsExactly(attempts);
		}
	}

}
