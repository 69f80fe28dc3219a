package dev.kafkastream.it;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.kafkastream.test.secure.SecureListener;
import dev.kafkastream.test.secure.SecuredKafkaBroker;
import dev.kafkastream.test.secure.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
			.runExactlyOnce(SecureListener.SCRAM, "--kafka-stream.security.protocol=SASL_PLAINTEXT",
					"--kafka-stream.security.sasl.mechanism=SCRAM-SHA-512",
					"--kafka-stream.security.sasl.username=" + this.kafka.scramUser().username(),
					"--kafka-stream.security.sasl.password=" + this.kafka.scramUser().password());
	}

	@Test
	void saslPlaintextPlain() {
		SecuredPipeline.prepare(this.kafka, "plain")
			.runExactlyOnce(SecureListener.PLAIN, "--kafka-stream.security.protocol=SASL_PLAINTEXT",
					"--kafka-stream.security.sasl.mechanism=PLAIN",
					"--kafka-stream.security.sasl.username=" + this.kafka.plainUser().username(),
					"--kafka-stream.security.sasl.password=" + this.kafka.plainUser().password());
	}

	@Test
	void sslWithClientCertificateFromPemBundle() {
		TestCertificates certificates = this.kafka.certificates();
		SecuredPipeline.prepare(this.kafka, "ssl-pem")
			.runExactlyOnce(SecureListener.SSL,
					arguments(certificates.pemSslBundleProperties("client", certificates.client()),
							"--kafka-stream.security.protocol=SSL", "--kafka-stream.security.ssl.bundle=client"));
	}

	@Test
	void sslWithClientCertificateFromPkcs12Bundle() {
		TestCertificates certificates = this.kafka.certificates();
		SecuredPipeline.prepare(this.kafka, "ssl-p12")
			.runExactlyOnce(SecureListener.SSL,
					arguments(certificates.jksSslBundleProperties("client", certificates.client()),
							"--kafka-stream.security.protocol=SSL", "--kafka-stream.security.ssl.bundle=client"));
	}

	@Test
	void saslSslScramTrustingTheBrokerThroughABundle() {
		SecuredPipeline.prepare(this.kafka, "sasl-ssl")
			.runExactlyOnce(SecureListener.SASL_SSL, arguments(trustBundle("brokers"),
					"--kafka-stream.security.protocol=SASL_SSL",
					"--kafka-stream.security.sasl.mechanism=SCRAM-SHA-512",
					"--kafka-stream.security.sasl.username=" + this.kafka.scramUser().username(),
					"--kafka-stream.security.sasl.password=" + this.kafka.scramUser().password(),
					"--kafka-stream.security.ssl.bundle=brokers"));
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

	/**
	 * Command-line arguments setting the given properties, followed by more arguments.
	 */
	static String[] arguments(Map<String, String> properties, String... more) {
		return Stream.concat(
				properties.entrySet().stream().map((entry) -> "--" + entry.getKey() + "=" + entry.getValue()),
				Arrays.stream(more))
			.toArray(String[]::new);
	}

}
