package dev.kafkastream.test.secure;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.kafkastream.test.secure.SecuredClients.assertTransactionsWork;
import static dev.kafkastream.test.secure.SecuredClients.initTransactions;
import static dev.kafkastream.test.secure.SecuredClients.producerProperties;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@code GSSAPI} listener of {@link SecuredKafkaBroker} authenticates clients through the test KDC: a client
 * logged in with its keytab or from a ticket cache produces and consumes transactionally; a missing or expired
 * ticket, or a principal the KDC does not know, fails the login when the client is created.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KerberosListenerIT {

	private final SecuredKafkaBroker kafka = SecuredKafkaBroker.shared();

	@Test
	void keytab() {
		assertTransactionsWork(this.kafka, SecureListener.GSSAPI, this.kafka.clientProperties(SecureListener.GSSAPI));
	}

	@Test
	void ticketCache() {
		assertTransactionsWork(this.kafka, SecureListener.GSSAPI, this.kafka.ticketCacheClientProperties());
	}

	@Test
	void missingTicketCacheFailsLogin() {
		Map<String, Object> properties = ticketCacheProperties(
				this.kafka.ticketCache().resolveSibling("missing.ccache"));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(KafkaException.class)
			.hasMessage("Failed to construct kafka producer")
			.hasStackTraceContaining("LoginException: Could not login");
	}

	@Test
	void expiredTicketFailsLogin() {
		Duration lifetime = Duration.ofSeconds(2);
		Instant expiry = Instant.now().plus(lifetime);
		Path cache = this.kafka.kdc().writeTicketCache(this.kafka.kerberosClient(), "expiring.ccache", lifetime);
		Map<String, Object> properties = ticketCacheProperties(cache);
		// the login happens when a client is created; while the ticket is valid it succeeds
		new KafkaProducer<>(producerProperties(properties)).close(Duration.ZERO);
		await().atMost(lifetime.multipliedBy(3)).until(() -> Instant.now().isAfter(expiry.plusMillis(500)));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(KafkaException.class)
			.hasMessage("Failed to construct kafka producer")
			.hasStackTraceContaining("LoginException: Could not login");
	}

	@Test
	void principalUnknownToTheKdcFailsLogin() {
		TestKdc.KerberosIdentity removed = this.kafka.kdc().createPrincipal("removed");
		this.kafka.kdc().deletePrincipal(removed);
		Map<String, Object> properties = this.kafka.clientProperties(SecureListener.GSSAPI);
		properties.put(SaslConfigs.SASL_JAAS_CONFIG, SecuredKafkaBroker.keytabJaasConfig(removed));
		assertThatThrownBy(() -> initTransactions(properties)).isInstanceOf(KafkaException.class)
			.hasMessage("Failed to construct kafka producer")
			.hasStackTraceContaining("LoginException: Client not found in Kerberos database");
	}

	private Map<String, Object> ticketCacheProperties(Path cache) {
		Map<String, Object> properties = this.kafka.ticketCacheClientProperties();
		properties.put(SaslConfigs.SASL_JAAS_CONFIG,
				SecuredKafkaBroker.ticketCacheJaasConfig(this.kafka.kerberosClient().principal(), cache));
		return properties;
	}

}
