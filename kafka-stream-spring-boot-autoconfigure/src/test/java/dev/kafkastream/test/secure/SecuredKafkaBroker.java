package dev.kafkastream.test.secure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.kafkastream.test.KafkaBrokerProcess;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.secure.TestKdc.KerberosIdentity;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SaslConfigs;

import org.springframework.util.FileSystemUtils;

/**
 * A single-node KRaft broker with one secured client listener per {@link SecureListener} (plus the
 * {@code PLAINTEXT} one used by {@link #bootstrapServers()} and {@link #admin()} for test set-up and checks), the
 * certificates, users and Kerberos KDC they need, shared by all tests of a JVM.
 *
 * <p>{@link #shared()} starts, once per JVM: {@link TestCertificates} in a temporary directory; a {@link TestKdc}
 * with the broker principal {@code kafka/localhost@EXAMPLE.COM} and the client principal
 * {@code client@EXAMPLE.COM}, their keytabs and a ticket cache for the client; then a {@link KafkaBrokerProcess}
 * (child JVM, started with {@code -Djava.security.krb5.conf} pointing at the KDC's {@link #krb5Conf()}) whose
 * storage is formatted with the SCRAM user. A shutdown hook stops everything and deletes the files.
 *
 * <p><b>JVM-wide setting:</b> {@code shared()} sets the system property {@code java.security.krb5.conf} of the test
 * JVM to {@link #krb5Conf()}, because the JDK reads the Kerberos configuration once per JVM. The first call fails if
 * that property is already set. Code under test that sets it (a {@code krb5-config} property) must be given
 * {@link #krb5Conf()}. No JVM-wide JAAS file is used: every client gets its login in
 * {@code sasl.jaas.config}.
 *
 * <p>Transactions work on every listener (transaction state log replication factor 1, min ISR 1); no authorizer
 * runs, so every authenticated principal may do everything.
 */
public final class SecuredKafkaBroker implements KafkaTestBroker {

	/** The {@code sasl.kerberos.service.name} of the broker. */
	public static final String KERBEROS_SERVICE_NAME = "kafka";

	/** The system property naming the JDK's Kerberos configuration file. */
	public static final String KRB5_CONF_PROPERTY = "java.security.krb5.conf";

	private static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

	private static volatile SecuredKafkaBroker shared;

	private final Path directory;

	private final TestCertificates certificates;

	private final TestKdc kdc;

	private final KerberosIdentity kerberosBroker;

	private final KerberosIdentity kerberosClient;

	private final Path ticketCache;

	private final Credentials scramUser = Credentials.random("scram-user");

	private final Credentials plainUser = Credentials.random("plain-user");

	private final KafkaBrokerProcess broker;

	private final long created = System.nanoTime();

	private Duration startupTime = Duration.ZERO;

	private SecuredKafkaBroker() throws IOException {
		this.directory = Files.createTempDirectory("kafka-secure-");
		this.certificates = TestCertificates.create(this.directory);
		this.kdc = TestKdc.start(Files.createDirectories(this.directory.resolve("kdc")));
		System.setProperty(KRB5_CONF_PROPERTY, this.kdc.krb5Conf().toString());
		this.kerberosBroker = this.kdc.createPrincipal(KERBEROS_SERVICE_NAME + "/localhost");
		this.kerberosClient = this.kdc.createPrincipal("client");
		this.ticketCache = this.kdc.writeTicketCache(this.kerberosClient, "client.ccache");
		KafkaBrokerProcess.Builder builder = KafkaBrokerProcess.builder()
			.jvmArgs("-D" + KRB5_CONF_PROPERTY + "=" + this.kdc.krb5Conf())
			.formatArguments("--add-scram", SCRAM_MECHANISM + "=[name=" + this.scramUser.username() + ",password="
					+ this.scramUser.password() + "]")
			.brokerProperties(brokerProperties());
		for (SecureListener listener : SecureListener.values()) {
			builder.listener(listener.name(), listener.securityProtocol());
		}
		this.broker = builder.build();
	}

	/**
	 * The broker shared by all tests of this JVM; started (with its KDC) on first call, stopped by a JVM shutdown
	 * hook.
	 * @return the shared broker
	 * @throws IllegalStateException if {@code java.security.krb5.conf} is already set on the first call
	 */
	public static SecuredKafkaBroker shared() {
		SecuredKafkaBroker result = shared;
		if (result == null) {
			synchronized (SecuredKafkaBroker.class) {
				result = shared;
				if (result == null) {
					result = start();
					Runtime.getRuntime().addShutdownHook(new Thread(result::close, "secured-kafka-shutdown"));
					shared = result;
				}
			}
		}
		return result;
	}

	private static SecuredKafkaBroker start() {
		String krb5Conf = System.getProperty(KRB5_CONF_PROPERTY);
		if (krb5Conf != null) {
			throw new IllegalStateException(KRB5_CONF_PROPERTY + " is already set to " + krb5Conf
					+ "; the JDK reads the Kerberos configuration once per JVM, so the secured test broker could not"
					+ " use its KDC. Start SecuredKafkaBroker.shared() first and use its krb5Conf().");
		}
		SecuredKafkaBroker broker;
		try {
			broker = new SecuredKafkaBroker();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot prepare the secured broker", ex);
		}
		try {
			broker.broker.start();
			broker.startupTime = Duration.ofNanos(System.nanoTime() - broker.created);
			System.out.println("[SecuredKafkaBroker] certificates, KDC and broker started in "
					+ broker.startupTime.toMillis() + " ms: " + broker);
			return broker;
		}
		catch (RuntimeException ex) {
			broker.close();
			System.clearProperty(KRB5_CONF_PROPERTY);
			throw ex;
		}
	}

	/**
	 * The {@code PLAINTEXT} listener, for test set-up and checks (creating topics, producing inputs, verifying
	 * outputs) next to a secured application.
	 * @return e.g. {@code 127.0.0.1:39092}
	 */
	@Override
	public String bootstrapServers() {
		return this.broker.bootstrapServers();
	}

	/**
	 * The bootstrap servers of a secured listener.
	 * @param listener the listener
	 * @return e.g. {@code localhost:39093}
	 */
	public String bootstrapServers(SecureListener listener) {
		return this.broker.bootstrapServers(listener.name());
	}

	/**
	 * A shared Admin client on the {@code PLAINTEXT} listener. Do not close it.
	 * @return the admin client
	 */
	@Override
	public Admin admin() {
		return this.broker.admin();
	}

	/**
	 * Raw Kafka client properties that connect and authenticate to a listener with valid credentials:
	 * {@code bootstrap.servers}, {@code security.protocol}, and {@code sasl.mechanism} with {@code sasl.jaas.config}
	 * ({@link #scramUser()}, {@link #plainUser()}, or the {@link #kerberosClient()} keytab, with
	 * {@code sasl.kerberos.service.name}), and {@code ssl.*} settings (the {@linkplain TestCertificates#client()
	 * client} key store for {@link SecureListener#SSL}, the trust store for both TLS listeners).
	 * @param listener the listener
	 * @return a new mutable map, to add serializers or to override a setting with a wrong one
	 */
	public Map<String, Object> clientProperties(SecureListener listener) {
		Map<String, Object> properties = new HashMap<>();
		properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(listener));
		properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, listener.securityProtocol().name);
		if (listener.saslMechanism() != null) {
			properties.put(SaslConfigs.SASL_MECHANISM, listener.saslMechanism());
		}
		switch (listener) {
			case SCRAM, SASL_SSL -> properties.put(SaslConfigs.SASL_JAAS_CONFIG,
					scramJaasConfig(this.scramUser.username(), this.scramUser.password()));
			case PLAIN -> properties.put(SaslConfigs.SASL_JAAS_CONFIG,
					plainJaasConfig(this.plainUser.username(), this.plainUser.password()));
			case GSSAPI -> {
				properties.put(SaslConfigs.SASL_KERBEROS_SERVICE_NAME, KERBEROS_SERVICE_NAME);
				properties.put(SaslConfigs.SASL_JAAS_CONFIG, keytabJaasConfig(this.kerberosClient));
			}
			case SSL -> properties.putAll(this.certificates.sslProperties(this.certificates.client()));
		}
		if (listener == SecureListener.SASL_SSL) {
			properties.putAll(this.certificates.trustProperties());
		}
		return properties;
	}

	/**
	 * Like {@link #clientProperties(SecureListener) clientProperties(GSSAPI)}, but logging in from the
	 * {@link #ticketCache()} instead of the keytab.
	 * @return a new mutable map
	 */
	public Map<String, Object> ticketCacheClientProperties() {
		Map<String, Object> properties = clientProperties(SecureListener.GSSAPI);
		properties.put(SaslConfigs.SASL_JAAS_CONFIG,
				ticketCacheJaasConfig(this.kerberosClient.principal(), this.ticketCache));
		return properties;
	}

	/**
	 * The SCRAM-SHA-512 user of the {@link SecureListener#SCRAM} and {@link SecureListener#SASL_SSL} listeners.
	 * @return the user name and password
	 */
	public Credentials scramUser() {
		return this.scramUser;
	}

	/**
	 * The PLAIN user of the {@link SecureListener#PLAIN} listener.
	 * @return the user name and password
	 */
	public Credentials plainUser() {
		return this.plainUser;
	}

	/**
	 * The certificates: the broker's, the {@linkplain TestCertificates#client() client's} that the
	 * {@link SecureListener#SSL} listener accepts, and an {@linkplain TestCertificates#untrustedClient() untrusted}
	 * one.
	 * @return the certificates
	 */
	public TestCertificates certificates() {
		return this.certificates;
	}

	/**
	 * The Kerberos configuration of the KDC, also set as {@code java.security.krb5.conf} of this JVM.
	 * @return the {@code krb5.conf} file
	 */
	public Path krb5Conf() {
		return this.kdc.krb5Conf();
	}

	/**
	 * The client principal {@code client@EXAMPLE.COM} and its keytab.
	 * @return the client identity
	 */
	public KerberosIdentity kerberosClient() {
		return this.kerberosClient;
	}

	/**
	 * The broker's service principal {@code kafka/localhost@EXAMPLE.COM} and its keytab.
	 * @return the broker identity
	 */
	public KerberosIdentity kerberosBroker() {
		return this.kerberosBroker;
	}

	/**
	 * A credential cache holding a ticket-granting ticket (valid 24 hours) of {@link #kerberosClient()}.
	 * @return the ticket cache file
	 */
	public Path ticketCache() {
		return this.ticketCache;
	}

	/**
	 * The KDC, e.g. to create more principals or ticket caches.
	 * @return the KDC
	 */
	public TestKdc kdc() {
		return this.kdc;
	}

	/**
	 * How long creating the certificates, starting the KDC and starting the broker took.
	 * @return the startup time
	 */
	public Duration startupTime() {
		return this.startupTime;
	}

	/**
	 * The broker process, e.g. to read its log.
	 * @return the broker process
	 */
	public KafkaBrokerProcess process() {
		return this.broker;
	}

	/**
	 * A client {@code sasl.jaas.config} for SCRAM.
	 * @param username the user
	 * @param password the password
	 * @return the JAAS configuration
	 */
	public static String scramJaasConfig(String username, String password) {
		return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + username
				+ "\" password=\"" + password + "\";";
	}

	/**
	 * A client {@code sasl.jaas.config} for PLAIN.
	 * @param username the user
	 * @param password the password
	 * @return the JAAS configuration
	 */
	public static String plainJaasConfig(String username, String password) {
		return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + username
				+ "\" password=\"" + password + "\";";
	}

	/**
	 * A {@code sasl.jaas.config} for GSSAPI that logs in with a keytab.
	 * @param identity the principal and its keytab
	 * @return the JAAS configuration
	 */
	public static String keytabJaasConfig(KerberosIdentity identity) {
		return "com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true storeKey=true keyTab=\""
				+ identity.keytab() + "\" principal=\"" + identity.principal() + "\";";
	}

	/**
	 * A client {@code sasl.jaas.config} for GSSAPI that logs in from a ticket cache.
	 * @param principal the principal whose ticket is in the cache
	 * @param ticketCache the credential cache file
	 * @return the JAAS configuration
	 */
	public static String ticketCacheJaasConfig(String principal, Path ticketCache) {
		return "com.sun.security.auth.module.Krb5LoginModule required useTicketCache=true ticketCache=\""
				+ ticketCache + "\" principal=\"" + principal + "\";";
	}

	/** Stops the broker and the KDC and deletes the certificates, keytabs and ticket caches. */
	void close() {
		try {
			this.broker.close();
			this.kdc.close();
		}
		finally {
			FileSystemUtils.deleteRecursively(this.directory.toFile());
		}
	}

	@Override
	public String toString() {
		return "SecuredKafkaBroker[" + bootstrapServers() + ", dir=" + this.directory + "]";
	}

	private Map<String, String> brokerProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(SaslConfigs.SASL_KERBEROS_SERVICE_NAME, KERBEROS_SERVICE_NAME);
		String scramLogin = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
		properties.put(prefix(SecureListener.SCRAM) + "sasl.enabled.mechanisms", SCRAM_MECHANISM);
		properties.put(prefix(SecureListener.SCRAM) + "scram-sha-512.sasl.jaas.config", scramLogin);
		properties.put(prefix(SecureListener.PLAIN) + "sasl.enabled.mechanisms", "PLAIN");
		properties.put(prefix(SecureListener.PLAIN) + "plain.sasl.jaas.config",
				"org.apache.kafka.common.security.plain.PlainLoginModule required user_" + this.plainUser.username()
						+ "=\"" + this.plainUser.password() + "\";");
		properties.putAll(serverTls(SecureListener.SSL));
		properties.put(prefix(SecureListener.SSL) + "ssl.client.auth", "required");
		properties.putAll(serverTls(SecureListener.SASL_SSL));
		properties.put(prefix(SecureListener.SASL_SSL) + "sasl.enabled.mechanisms", SCRAM_MECHANISM);
		properties.put(prefix(SecureListener.SASL_SSL) + "scram-sha-512.sasl.jaas.config", scramLogin);
		properties.put(prefix(SecureListener.GSSAPI) + "sasl.enabled.mechanisms", "GSSAPI");
		properties.put(prefix(SecureListener.GSSAPI) + "gssapi.sasl.jaas.config",
				keytabJaasConfig(this.kerberosBroker));
		return properties;
	}

	private Map<String, String> serverTls(SecureListener listener) {
		TestCertificates.KeyStoreFile keyStore = this.certificates.broker().keyStore();
		TestCertificates.KeyStoreFile trustStore = this.certificates.trustStore();
		String prefix = prefix(listener);
		return Map.of(prefix + "ssl.keystore.location", keyStore.location().toString(),
				prefix + "ssl.keystore.password", keyStore.password(), prefix + "ssl.key.password",
				keyStore.password(), prefix + "ssl.keystore.type", keyStore.type(),
				prefix + "ssl.truststore.location", trustStore.location().toString(),
				prefix + "ssl.truststore.password", trustStore.password(), prefix + "ssl.truststore.type",
				trustStore.type());
	}

	private static String prefix(SecureListener listener) {
		return "listener.name." + listener.name().toLowerCase(Locale.ROOT) + ".";
	}

	/**
	 * A user name and password.
	 * @param username the user name
	 * @param password the password
	 */
	public record Credentials(String username, String password) {

		static Credentials random(String username) {
			return new Credentials(username, RandomSecrets.next(username + "-secret-"));
		}

		@Override
		public String toString() {
			return "Credentials[" + this.username + ", password=******]";
		}

	}

}
