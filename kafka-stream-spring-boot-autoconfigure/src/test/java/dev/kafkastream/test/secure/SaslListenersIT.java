package dev.kafkastream.test.secure;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.kafkastream.test.secure.SecuredClients.assertTransactionsWork;
import static dev.kafkastream.test.secure.SecuredClients.initTransactions;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code SCRAM} ({@code SASL_PLAINTEXT} SCRAM-SHA-512), {@code PLAIN} and {@code SASL_SSL} (SCRAM-SHA-512 over
 * TLS) listeners of {@link SecuredKafkaBroker} accept a transactional producer and a {@code read_committed}
 * consumer with the right credentials and refuse wrong ones.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SaslListenersIT {

	private final SecuredKafkaBroker kafka = SecuredKafkaBroker.shared();

	@Test
	void scramSha512() {
		assertTransactionsWork(this.kafka, SecureListener.SCRAM, this.kafka.clientProperties(SecureListener.SCRAM));
	}

	@Test
	void scramWithWrongPasswordFailsAuthentication() {
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.SCRAM);
		properties.put(SaslConfigs.SASL_JAAS_CONFIG,
				SecuredKafkaBroker.scramJaasConfig(this.kafka.scramUser().username(), "wrong-password"));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SaslAuthenticationException.class)
			.hasMessage("Authentication failed during authentication due to invalid credentials with SASL "
					+ "mechanism SCRAM-SHA-512");
	}

	@Test
	void scramWithUnknownUserFailsAuthentication() {
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.SCRAM);
		properties.put(SaslConfigs.SASL_JAAS_CONFIG,
				SecuredKafkaBroker.scramJaasConfig("nobody", this.kafka.scramUser().password()));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SaslAuthenticationException.class)
			.hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512");
	}

	@Test
	void scramSha256IsRefusedByTheScramSha512Listener() {
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.SCRAM);
		properties.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-256");
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(UnsupportedSaslMechanismException.class)
			.hasMessageContaining("SCRAM-SHA-256");
	}

	@Test
	void plain() {
		assertTransactionsWork(this.kafka, SecureListener.PLAIN, this.kafka.clientProperties(SecureListener.PLAIN));
	}

	@Test
	void plainWithWrongPasswordFailsAuthentication() {
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.PLAIN);
		properties.put(SaslConfigs.SASL_JAAS_CONFIG,
				SecuredKafkaBroker.plainJaasConfig(this.kafka.plainUser().username(), "wrong-password"));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SaslAuthenticationException.class)
			.hasMessage("Authentication failed: Invalid username or password");
	}

	@Test
	void saslSslScram() {
		assertTransactionsWork(this.kafka, SecureListener.SASL_SSL,
				this.kafka.clientProperties(SecureListener.SASL_SSL));
	}

	@Test
	void saslSslWithWrongPasswordFailsAuthentication() {
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.SASL_SSL);
		properties.put(SaslConfigs.SASL_JAAS_CONFIG,
				SecuredKafkaBroker.scramJaasConfig(this.kafka.scramUser().username(), "wrong-password"));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SaslAuthenticationException.class)
			.hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512");
	}

	@Test
	void saslSslWithoutTrustStoreFailsAuthentication() {
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.SASL_SSL);
		properties.keySet().removeIf((key) -> key.startsWith("ssl.truststore"));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(SslAuthenticationException.class)
			.hasMessage("SSL handshake failed");
	}

}
