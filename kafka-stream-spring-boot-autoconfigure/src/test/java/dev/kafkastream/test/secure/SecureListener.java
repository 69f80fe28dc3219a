package dev.kafkastream.test.secure;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.jspecify.annotations.Nullable;

/**
 * The secured client listeners of {@link SecuredKafkaBroker}. The enum name is the broker's listener name.
 */
public enum SecureListener {

	/** {@code SASL_PLAINTEXT} with {@code SCRAM-SHA-512}; the user was created when the storage was formatted. */
	SCRAM(SecurityProtocol.SASL_PLAINTEXT, "SCRAM-SHA-512"),

	/** {@code SASL_PLAINTEXT} with {@code PLAIN}; the user is declared in the broker's JAAS configuration. */
	PLAIN(SecurityProtocol.SASL_PLAINTEXT, "PLAIN"),

	/** {@code SSL} with client authentication required ({@code ssl.client.auth=required}). */
	SSL(SecurityProtocol.SSL, null),

	/** {@code SASL_SSL} with {@code SCRAM-SHA-512} (same user as {@link #SCRAM}), no client certificate. */
	SASL_SSL(SecurityProtocol.SASL_SSL, "SCRAM-SHA-512"),

	/** {@code SASL_PLAINTEXT} with {@code GSSAPI} (Kerberos), service principal {@code kafka/localhost}. */
	GSSAPI(SecurityProtocol.SASL_PLAINTEXT, "GSSAPI");

	private final SecurityProtocol securityProtocol;

	private final @Nullable String saslMechanism;

	SecureListener(SecurityProtocol securityProtocol, @Nullable String saslMechanism) {
		this.securityProtocol = securityProtocol;
		this.saslMechanism = saslMechanism;
	}

	/**
	 * The {@code security.protocol} clients of this listener use.
	 * @return the protocol
	 */
	public SecurityProtocol securityProtocol() {
		return this.securityProtocol;
	}

	/**
	 * The {@code sasl.mechanism} clients of this listener use.
	 * @return the mechanism, or {@code null} for {@link #SSL}
	 */
	public @Nullable String saslMechanism() {
		return this.saslMechanism;
	}

	/**
	 * Whether connections to this listener use TLS.
	 * @return {@code true} for {@link #SSL} and {@link #SASL_SSL}
	 */
	public boolean usesTls() {
		return this.securityProtocol == SecurityProtocol.SSL || this.securityProtocol == SecurityProtocol.SASL_SSL;
	}

}
