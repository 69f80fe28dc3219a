package dev.kafkastream.test.secure;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.kafkastream.test.secure.SecuredClients.assertTransactionsWork;
import static dev.kafkastream.test.secure.SecuredClients.initTransactions;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code SSL} listener of {@link SecuredKafkaBroker} requires a client certificate signed by the test authority:
 * it accepts the {@linkplain TestCertificates#client() client} certificate, given as raw {@code ssl.*} key store
 * settings or through a Spring Boot SSL bundle (PEM or PKCS12) and Boot's {@link SslBundleSslEngineFactory}, and
 * refuses an untrusted certificate or none.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SslListenerIT {

	private final SecuredKafkaBroker kafka = SecuredKafkaBroker.shared();

	private final TestCertificates certificates = this.kafka.certificates();

	@Test
	void clientCertificate() {
		assertTransactionsWork(this.kafka, SecureListener.SSL, this.kafka.clientProperties(SecureListener.SSL));
	}

	@Test
	void untrustedClientCertificateFailsAuthentication() {
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.SSL);
		properties.putAll(this.certificates.sslProperties(this.certificates.untrustedClient()));
		// TLS 1.3: the refusal arrives after the client's handshake, so the message varies; the type does not
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SslAuthenticationException.class);
	}

	@Test
	void noClientCertificateFailsAuthentication() {
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.SSL);
		properties.keySet().removeIf((key) -> key.startsWith("ssl.key"));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SslAuthenticationException.class);
	}

	@Test
	void pemSslBundle() {
		Map<String, String> bundle = this.certificates.pemSslBundleProperties("kafka", this.certificates.client());
		assertTransactionsWork(this.kafka, SecureListener.SSL, sslBundleClientProperties(bundle));
	}

	@Test
	void pkcs12SslBundle() {
		Map<String, String> bundle = this.certificates.jksSslBundleProperties("kafka", this.certificates.client());
		assertTransactionsWork(this.kafka, SecureListener.SSL, sslBundleClientProperties(bundle));
	}

	@Test
	void pemSslBundleWithUntrustedClientCertificateFailsAuthentication() {
		Map<String, Object> properties = sslBundleClientProperties(
				this.certificates.pemSslBundleProperties("kafka", this.certificates.untrustedClient()));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SslAuthenticationException.class);
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

}
