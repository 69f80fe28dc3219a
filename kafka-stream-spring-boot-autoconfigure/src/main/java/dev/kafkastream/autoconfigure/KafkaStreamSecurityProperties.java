package dev.kafkastream.autoconfigure;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.jspecify.annotations.Nullable;

/**
 * How kafka-stream's clients authenticate to the brokers and encrypt their connections:
 * {@code kafka-stream.security.*} for every client, overridden field by field by
 * {@code kafka-stream.sources.<name>.security.*} and
 * {@code kafka-stream.sinks.<name>.security.*}, except that a {@code sasl.jaas-config}
 * replaces the user name and password set for every client, and a user name or password
 * replaces the {@code sasl.jaas-config} set for every client.
 */
public class KafkaStreamSecurityProperties {

	/**
	 * Protocol used to communicate with the brokers: PLAINTEXT, SSL, SASL_PLAINTEXT or
	 * SASL_SSL. Falls back to Spring Boot's 'spring.kafka.security.protocol'.
	 */
	private @Nullable SecurityProtocol protocol;

	private final Sasl sasl = new Sasl();

	private final Kerberos kerberos = new Kerberos();

	private final Ssl ssl = new Ssl();

	public @Nullable SecurityProtocol getProtocol() {
		return this.protocol;
	}

	public void setProtocol(@Nullable SecurityProtocol protocol) {
		this.protocol = protocol;
	}

	public Sasl getSasl() {
		return this.sasl;
	}

	public Kerberos getKerberos() {
		return this.kerberos;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	/**
	 * SASL authentication.
	 */
	public static class Sasl {

		/**
		 * SASL mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, GSSAPI or OAUTHBEARER (Kafka
		 * defaults to GSSAPI).
		 */
		private @Nullable String mechanism;

		/**
		 * User name for PLAIN and SCRAM, or the client id for OAUTHBEARER.
		 */
		private @Nullable String username;

		/**
		 * Password for PLAIN and SCRAM, or the client secret for OAUTHBEARER.
		 */
		private @Nullable String password;

		/**
		 * Raw JAAS configuration ('sasl.jaas.config'), instead of the user name and
		 * password or the Kerberos login.
		 */
		private @Nullable String jaasConfig;

		public @Nullable String getMechanism() {
			return this.mechanism;
		}

		public void setMechanism(@Nullable String mechanism) {
			this.mechanism = mechanism;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getJaasConfig() {
			return this.jaasConfig;
		}

		public void setJaasConfig(@Nullable String jaasConfig) {
			this.jaasConfig = jaasConfig;
		}

	}

	/**
	 * Kerberos login, for the GSSAPI mechanism.
	 */
	public static class Kerberos {

		/**
		 * Kerberos principal of the application, such as app@EXAMPLE.COM. Needed with a
		 * keytab; taken from the ticket cache when only the ticket cache is used.
		 */
		private @Nullable String principal;

		/**
		 * Path of the keytab file holding the principal's keys.
		 */
		private @Nullable String keytab;

		/**
		 * Whether to log in with the Kerberos ticket cache (kinit). Defaults to false.
		 */
		private @Nullable Boolean useTicketCache;

		/**
		 * Path of the ticket cache to log in from when the ticket cache is used. Defaults
		 * to the one Kerberos finds (the KRB5CCNAME environment variable, or the system's
		 * default cache).
		 */
		private @Nullable String ticketCache;

		/**
		 * Kerberos service name of the brokers ('sasl.kerberos.service.name'). Defaults to
		 * 'kafka'.
		 */
		private @Nullable String serviceName;

		/**
		 * Path of the krb5.conf file. Sets the JVM-wide 'java.security.krb5.conf' system
		 * property, so every source and sink must name the same file.
		 */
		private @Nullable String krb5Config;

		public @Nullable String getPrincipal() {
			return this.principal;
		}

		public void setPrincipal(@Nullable String principal) {
			this.principal = principal;
		}

		public @Nullable String getKeytab() {
			return this.keytab;
		}

		public void setKeytab(@Nullable String keytab) {
			this.keytab = keytab;
		}

		public @Nullable Boolean getUseTicketCache() {
			return this.useTicketCache;
		}

		public void setUseTicketCache(@Nullable Boolean useTicketCache) {
			this.useTicketCache = useTicketCache;
		}

		public @Nullable String getTicketCache() {
			return this.ticketCache;
		}

		public void setTicketCache(@Nullable String ticketCache) {
			this.ticketCache = ticketCache;
		}

		public @Nullable String getServiceName() {
			return this.serviceName;
		}

		public void setServiceName(@Nullable String serviceName) {
			this.serviceName = serviceName;
		}

		public @Nullable String getKrb5Config() {
			return this.krb5Config;
		}

		public void setKrb5Config(@Nullable String krb5Config) {
			this.krb5Config = krb5Config;
		}

	}

	/**
	 * SSL.
	 */
	public static class Ssl {

		/**
		 * Name of the Spring Boot SSL bundle ('spring.ssl.bundle.*') holding the key and
		 * trust material. Falls back to Spring Boot's 'spring.kafka.ssl.bundle'.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

}
