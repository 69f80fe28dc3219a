package dev.kafkastream.it;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.test.secure.SecureListener;
import dev.kafkastream.test.secure.SecuredKafkaBroker;
import dev.kafkastream.test.secure.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static dev.kafkastream.it.SecuredPipeline.arguments;
import static dev.kafkastream.it.SecuredPipeline.passwordLogin;

/**
 * Exactly-once pipelines against every secured listener of {@link SecuredKafkaBroker},
 * configured only through the typed {@code kafka-stream.security.*} properties (and
 * Spring Boot SSL bundles), verified over the broker's {@code PLAINTEXT} listener.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SecuredPipelinesIT {

	private final SecuredKafkaBroker kafka = SecuredKafkaBroker.shared();

	@Test
	void saslPlaintextScramSha512() {
		SecuredPipeline.prepare(this.kafka, "scram")
			.runExactlyOnce(SecureListener.SCRAM,
					passwordLogin("SASL_PLAINTEXT", "SCRAM-SHA-512", this.kafka.scramUser()));
	}

	@Test
	void saslPlaintextPlain() {
		SecuredPipeline.prepare(this.kafka, "plain")
			.runExactlyOnce(SecureListener.PLAIN, passwordLogin("SASL_PLAINTEXT", "PLAIN", this.kafka.plainUser()));
	}

	@Test
	void sslWithClientCertificateFromPemBundle() {
		TestCertificates certificates = this.kafka.certificates();
		runOverSsl("ssl-pem", certificates.pemSslBundleProperties("client", certificates.client()));
	}

	@Test
	void sslWithClientCertificateFromPkcs12Bundle() {
		TestCertificates certificates = this.kafka.certificates();
		runOverSsl("ssl-p12", certificates.jksSslBundleProperties("client", certificates.client()));
	}

	@Test
	void saslSslScramTrustingTheBrokerThroughABundle() {
		SecuredPipeline pipeline = SecuredPipeline.prepare(this.kafka, "sasl-ssl");
		try (ConfigurableApplicationContext context = pipeline.arguments(SecureListener.SASL_SSL)
			.with(passwordLogin("SASL_SSL", "SCRAM-SHA-512", this.kafka.scramUser()))
			.with(arguments(trustBundle("brokers"), "--kafka-stream.security.ssl.bundle=brokers"))
			.run(PassThroughApplication.class)) {
			pipeline.assertExactlyOnce(context);
		}
	}

	@Test
	void gssapiWithKeytab() {
		SecuredPipeline.prepare(this.kafka, "keytab")
			.runExactlyOnce(SecureListener.GSSAPI, "--kafka-stream.security.protocol=SASL_PLAINTEXT",
					"--kafka-stream.security.sasl.mechanism=GSSAPI",
					"--kafka-stream.security.kerberos.principal=" + this.kafka.kerberosClient().principal(),
					"--kafka-stream.security.kerberos.keytab=" + this.kafka.kerberosClient().keytab(),
					"--kafka-stream.security.kerberos.krb5-config=" + this.kafka.krb5Conf());
	}

	@Test
	void gssapiWithTicketCache() {
		SecuredPipeline.prepare(this.kafka, "ticket-cache")
			.runExactlyOnce(SecureListener.GSSAPI, "--kafka-stream.security.protocol=SASL_PLAINTEXT",
					"--kafka-stream.security.sasl.mechanism=GSSAPI",
					"--kafka-stream.security.kerberos.use-ticket-cache=true",
					"--kafka-stream.security.kerberos.ticket-cache=" + this.kafka.ticketCache(),
					"--kafka-stream.security.kerberos.krb5-config=" + this.kafka.krb5Conf());
	}

	private void runOverSsl(String name, Map<String, String> clientBundle) {
		SecuredPipeline.prepare(this.kafka, name)
			.runExactlyOnce(SecureListener.SSL, arguments(clientBundle, "--kafka-stream.security.protocol=SSL",
					"--kafka-stream.security.ssl.bundle=client"));
	}

	/**
	 * A PEM bundle that only trusts the test authority, as in the README: SASL_SSL
	 * authenticates the client by SCRAM, not by a certificate.
	 */
	private Map<String, String> trustBundle(String name) {
		Map<String, String> bundle = new HashMap<>(this.kafka.certificates()
			.pemSslBundleProperties(name, this.kafka.certificates().client()));
		bundle.keySet().removeIf((key) -> !key.contains(".truststore."));
		return bundle;
	}

}
