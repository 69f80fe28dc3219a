package dev.kafkastream.test.secure;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each listener of {@link SecuredKafkaBroker} accepts a transactional producer and a {@code read_committed}
 * consumer with the right credentials, and refuses wrong ones with the authentication error Kafka clients report.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecuredKafkaBrokerIT {

	private static final Duration AWAIT = Duration.ofSeconds(30);

	private final SecuredKafkaBroker kafka = SecuredKafkaBroker.shared();

	@BeforeAll
	static void logStartupTime() {
		System.out.println("[SecuredKafkaBrokerIT] secured broker and KDC started in "
				+ SecuredKafkaBroker.shared().startupTime().toMillis() + " ms");
	}

	@Test
	void scramSha512() {
		assertTransactionsWork(SecureListener.SCRAM, this.kafka.clientProperties(SecureListener.SCRAM));
	}

	@Test
	void scramWithWrongPasswordFailsAuthentication() {
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.SCRAM);
		properties.put(SaslConfigs.SASL_JAAS_CONFIG,
				SecuredKafkaBroker.scramJaasConfig(this.kafka.scramUser().username(), "wrong-password"));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SaslAuthenticationException.class)
			.hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512");
	}

	@Test
	void plain() {
		assertTransactionsWork(SecureListener.PLAIN, this.kafka.clientProperties(SecureListener.PLAIN));
	}

	@Test
	void plainWithWrongPasswordFailsAuthentication() {
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.PLAIN);
		properties.put(SaslConfigs.SASL_JAAS_CONFIG,
				SecuredKafkaBroker.plainJaasConfig(this.kafka.plainUser().username(), "wrong-password"));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SaslAuthenticationException.class)
			.hasMessageContaining("Invalid username or password");
	}

	@Test
	void sslWithClientCertificate() {
		assertTransactionsWork(SecureListener.SSL, this.kafka.clientProperties(SecureListener.SSL));
	}

	@Test
	void sslWithUntrustedClientCertificateFailsAuthentication() {
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.SSL);
		TestCertificates certificates = this.kafka.certificates();
		properties.putAll(certificates.sslProperties(certificates.untrustedClient()));
		// TLS 1.3: the refusal arrives after the client's handshake, so the message varies; the type does not
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SslAuthenticationException.class);
	}

	@Test
	void sslWithoutClientCertificateFailsAuthentication() {
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.SSL);
		properties.keySet().removeIf((key) -> key.startsWith("ssl.key"));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SslAuthenticationException.class);
	}

	@Test
	void sslThroughPemSslBundle() {
		TestCertificates certificates = this.kafka.certificates();
		assertTransactionsWork(SecureListener.SSL,
				sslBundleClientProperties(certificates.pemSslBundleProperties("kafka", certificates.client())));
	}

	@Test
	void sslThroughJksSslBundle() {
		TestCertificates certificates = this.kafka.certificates();
		assertTransactionsWork(SecureListener.SSL,
				sslBundleClientProperties(certificates.jksSslBundleProperties("kafka", certificates.client())));
	}

	@Test
	void sslThroughPemSslBundleWithUntrustedClientCertificateFailsAuthentication() {
		TestCertificates certificates = this.kafka.certificates();
		Map<String, Object> properties = sslBundleClientProperties(
				certificates.pemSslBundleProperties("kafka", certificates.untrustedClient()));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SslAuthenticationException.class);
	}

	@Test
	void saslSslScram() {
		assertTransactionsWork(SecureListener.SASL_SSL, this.kafka.clientProperties(SecureListener.SASL_SSL));
	}

	@Test
	void saslSslWithoutTrustStoreFailsAuthentication() {
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.SASL_SSL);
		properties.keySet().removeIf((key) -> key.startsWith("ssl.truststore"));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SslAuthenticationException.class);
	}

	@Test
	void gssapiWithKeytab() {
		assertTransactionsWork(SecureListener.GSSAPI, this.kafka.clientProperties(SecureListener.GSSAPI));
	}

	@Test
	void gssapiWithTicketCache() {
		assertTransactionsWork(SecureListener.GSSAPI, this.kafka.ticketCacheClientProperties());
	}

	@Test
	void gssapiWithoutTicketCacheFailsLogin() {
		Map<String, Object> properties = this.kafka.ticketCacheClientProperties();
		properties.put(SaslConfigs.SASL_JAAS_CONFIG, SecuredKafkaBroker.ticketCacheJaasConfig(
				this.kafka.kerberosClient().principal(), this.kafka.ticketCache().resolveSibling("missing.ccache")));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(KafkaException.class)
			.hasMessage("Failed to construct kafka producer")
			.hasStackTraceContaining("LoginException: Could not login");
	}

	@Test
	void gssapiWithPrincipalUnknownToTheKdcFailsLogin() {
		TestKdc.KerberosIdentity removed = this.kafka.kdc().createPrincipal("removed");
		this.kafka.kdc().deletePrincipal(removed);
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.GSSAPI);
		properties.put(SaslConfigs.SASL_JAAS_CONFIG, SecuredKafkaBroker.keytabJaasConfig(removed));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(KafkaException.class)
			.hasMessage("Failed to construct kafka producer")
			.hasStackTraceContaining("LoginException: Client not found in Kerberos database");
	}

	private void assertTransactionsWork(SecureListener listener, Map<String, Object> clientProperties) {
		String topic = KafkaTestBroker.uniqueTopicName("secure-" + listener.name().toLowerCase(Locale.ROOT));
		this.kafka.createTopic(topic, 2);
		List<TestRecords.Input> inputs = TestRecords.expected(20, 3);
		Map<String, Object> producerProperties = producerProperties(clientProperties);
		producerProperties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties)) {
			producer.initTransactions();
			producer.beginTransaction();
			inputs.forEach((input) -> producer.send(new ProducerRecord<>(topic, input.key(), input.value())));
			producer.commitTransaction();
		}
		ExactlyOnceVerifier verifier = ExactlyOnceVerifier.of(this.kafka.bootstrapServers(listener), topic, inputs);
		clientProperties.forEach(verifier::consumerProperty);
		assertThat(verifier.awaitExactlyOnce(AWAIT).recordsRead()).isEqualTo(inputs.size());
	}

	/** Client properties using the Boot SSL bundle {@code kafka} defined by the given properties, as Boot does. */
	private Map<String, Object> sslBundleClientProperties(Map<String, String> bundleProperties) {
		AtomicReference<SslBundle> bundle = new AtomicReference<>();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues(bundleProperties.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + "=" + entry.getValue())
				.toArray(String[]::new))
			.run((context) -> bundle.set(context.getBean(SslBundles.class).getBundle("kafka")));
		Map<String, Object> properties = new HashMap<>();
		properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers(SecureListener.SSL));
		properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
		properties.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class);
		properties.put(SslBundle.class.getName(), bundle.get());
		return properties;
	}

	private static void initTransactions(Map<String, Object> clientProperties) {
		Map<String, Object> properties = producerProperties(clientProperties);
		properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaTestBroker.uniqueTopicName("refused"));
		properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
			producer.initTransactions();
		}
	}

	private static Map<String, Object> producerProperties(Map<String, Object> clientProperties) {
		String bootstrapServers = (String) clientProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		Map<String, Object> properties = TestRecords.producerProperties(bootstrapServers);
		properties.putAll(clientProperties);
		return properties;
	}

}
