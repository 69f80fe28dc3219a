package dev.kafkastream.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * The typed security settings of one client: {@code kafka-stream.security}, overridden by
 * those of a source or sink. Maps them to Kafka client properties, building the JAAS
 * configuration, and checks them, naming the property to fix. Messages never contain a
 * secret.
 */
final class ClientSecurity {

	static final String GSSAPI = "GSSAPI";

	private final List<Level> levels;

	private final @Nullable Setting<SecurityProtocol> protocol;

	private final @Nullable Setting<String> mechanism;

	private final @Nullable Setting<KafkaStreamSecurityProperties.Sasl> credentials;

	private final @Nullable Setting<KafkaStreamSecurityProperties.Kerberos> kerberos;

	private final @Nullable Setting<String> serviceName;

	private final @Nullable Setting<String> krb5Config;

	private final @Nullable Setting<String> sslBundle;

	/**
	 * The settings of the given levels.
	 * @param levels the levels, lowest first: {@code kafka-stream.security}, then a
	 * source's or sink's
	 */
	ClientSecurity(List<Level> levels) {
		this.levels = levels;
		this.protocol = last("protocol", (security) -> security.getProtocol());
		this.mechanism = last("sasl.mechanism", (security) -> text(security.getSasl().getMechanism()));
		this.credentials = credentials();
		this.kerberos = kerberos();
		this.serviceName = last("kerberos.service-name", (security) -> text(security.getKerberos().getServiceName()));
		this.krb5Config = last("kerberos.krb5-config", (security) -> text(security.getKerberos().getKrb5Config()));
		this.sslBundle = last("ssl.bundle", (security) -> text(security.getSsl().getBundle()));
	}

	/**
	 * The Kafka client properties of the typed settings, by the level that sets them.
	 * @param below the client properties of the layers under the typed settings, whose
	 * SASL mechanism and Kerberos service name apply when the typed settings have none
	 * @param sslBundles the client properties of an SSL bundle, by its name and property
	 * @return the properties, one map per level
	 */
	List<Map<String, Object>> clientProperties(Map<String, Object> below, SslBundleResolver sslBundles) {
		List<Map<String, Object>> byLevel = new ArrayList<>();
		this.levels.forEach((level) -> byLevel.add(new HashMap<>()));
		if (this.protocol != null) {
			byLevel.get(this.protocol.level()).put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
					this.protocol.value().name);
		}
		if (this.mechanism != null) {
			byLevel.get(this.mechanism.level()).put(SaslConfigs.SASL_MECHANISM, this.mechanism.value());
		}
		if (this.sslBundle != null) {
			byLevel.get(this.sslBundle.level())
				.putAll(sslBundles.properties(this.sslBundle.value(), this.sslBundle.property()));
		}
		String mechanism = mechanism(below);
		if (this.credentials != null) {
			int level = Math.max(this.credentials.level(), (this.mechanism != null) ? this.mechanism.level() : 0);
			byLevel.get(level).put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(this.credentials, mechanism));
		}
		if (this.kerberos != null && this.credentials == null && GSSAPI.equals(mechanism)) {
			int level = Math.max(this.kerberos.level(), (this.mechanism != null) ? this.mechanism.level() : 0);
			byLevel.get(level).put(SaslConfigs.SASL_JAAS_CONFIG, JaasConfigs.kerberos(this.kerberos.value()));
		}
		if (this.serviceName != null) {
			byLevel.get(this.serviceName.level())
				.put(SaslConfigs.SASL_KERBEROS_SERVICE_NAME, this.serviceName.value());
		}
		else if (this.kerberos != null && !below.containsKey(SaslConfigs.SASL_KERBEROS_SERVICE_NAME)) {
			byLevel.get(this.kerberos.level()).put(SaslConfigs.SASL_KERBEROS_SERVICE_NAME, "kafka");
		}
		return byLevel;
	}

	/**
	 * The krb5.conf file to use, if any.
	 * @return the setting
	 */
	@Nullable Setting<String> krb5Config() {
		return this.krb5Config;
	}

	/**
	 * Checks the typed settings against the client properties they end up in.
	 * @param config the client properties of every layer
	 * @param jvmJaas whether a JVM-wide JAAS configuration supplies the login
	 */
	void check(Map<String, Object> config, boolean jvmJaas) {
		String mechanism = mechanism(config);
		String protocol = String.valueOf(config.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"))
			.toUpperCase(Locale.ROOT);
		boolean sasl = protocol.startsWith("SASL_");
		checkCredentials();
		if (!sasl && (this.mechanism != null || this.credentials != null || this.kerberos != null)) {
			Setting<?> given = (this.mechanism != null) ? this.mechanism
					: (this.credentials != null) ? this.credentials : this.kerberos;
			throw new KafkaStreamConfigurationException(protocolProperty(given),
					"SASL is configured ('" + given.property() + "'), but the security protocol is " + protocol,
					"Set it to SASL_PLAINTEXT or SASL_SSL, or remove the SASL settings.");
		}
		if (this.sslBundle != null && !protocol.equals("SSL") && !protocol.equals("SASL_SSL")) {
			throw new KafkaStreamConfigurationException(protocolProperty(this.sslBundle),
					"An SSL bundle is set ('" + this.sslBundle.property() + "'), but the security protocol is "
							+ protocol,
					"Set it to SSL or SASL_SSL, or remove the SSL bundle.");
		}
		boolean jaas = config.containsKey(SaslConfigs.SASL_JAAS_CONFIG) || jvmJaas;
		if (GSSAPI.equals(mechanism)) {
			checkKerberos(jaas);
		}
		else {
			checkPasswordLogin(mechanism, jaas);
		}
		if (this.krb5Config != null) {
			requireReadable(this.krb5Config, "krb5 configuration");
		}
	}

	private void checkCredentials() {
		if (this.credentials == null) {
			return;
		}
		KafkaStreamSecurityProperties.Sasl sasl = this.credentials.value();
		String prefix = prefix(this.credentials);
		if (hasText(sasl.getJaasConfig()) && (hasText(sasl.getUsername()) || hasText(sasl.getPassword()))) {
			throw new KafkaStreamConfigurationException(prefix + ".sasl.jaas-config",
					"Both '" + prefix + ".sasl.jaas-config' and the user name and password of '" + prefix
							+ ".sasl' are set",
					"Set either the JAAS configuration or the user name and password.");
		}
		if (hasText(sasl.getJaasConfig()) && this.kerberos != null) {
			throw new KafkaStreamConfigurationException(prefix + ".sasl.jaas-config",
					"Both '" + prefix + ".sasl.jaas-config' and the Kerberos login of '" + prefix(this.kerberos)
							+ ".kerberos' are set",
					"Set either the JAAS configuration or the Kerberos principal and keytab (or ticket cache).");
		}
	}

	private void checkKerberos(boolean jaas) {
		if (this.credentials != null && !hasText(this.credentials.value().getJaasConfig())) {
			throw new KafkaStreamConfigurationException(mechanismProperty(this.credentials),
					"A user name and password are set ('" + prefix(this.credentials)
							+ ".sasl'), but the SASL mechanism is GSSAPI (Kafka's default)",
					"Set the mechanism to PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER.");
		}
		if (this.kerberos == null) {
			if (this.mechanism != null && !jaas) {
				String prefix = prefix(this.mechanism);
				throw new KafkaStreamConfigurationException(prefix + ".kerberos.principal",
						"The SASL mechanism is GSSAPI but no Kerberos login is configured",
						"Set '" + prefix + ".kerberos.principal' and '" + prefix + ".kerberos.keytab' (or '" + prefix
								+ ".kerberos.use-ticket-cache'), or a JAAS configuration.");
			}
			return;
		}
		KafkaStreamSecurityProperties.Kerberos kerberos = this.kerberos.value();
		String prefix = prefix(this.kerberos);
		boolean ticketCache = Boolean.TRUE.equals(kerberos.getUseTicketCache());
		if (hasText(kerberos.getTicketCache())) {
			if (!ticketCache) {
				throw new KafkaStreamConfigurationException(prefix + ".kerberos.use-ticket-cache",
						"A ticket cache is set ('" + prefix + ".kerberos.ticket-cache'), but the ticket cache is not used",
						"Set '" + prefix + ".kerberos.use-ticket-cache=true', or remove the ticket cache.");
			}
			requireReadable(new Setting<>(kerberos.getTicketCache(), this.kerberos.level(),
					prefix + ".kerberos.ticket-cache"), "ticket cache");
		}
		if (!hasText(kerberos.getPrincipal()) && !ticketCache) {
			throw new KafkaStreamConfigurationException(prefix + ".kerberos.principal",
					"The SASL mechanism is GSSAPI but no Kerberos principal is set",
					"Set the principal the keytab holds the keys of, such as app@EXAMPLE.COM.");
		}
		if (!hasText(kerberos.getKeytab()) && !ticketCache) {
			throw new KafkaStreamConfigurationException(prefix + ".kerberos.keytab",
					"The SASL mechanism is GSSAPI but neither a keytab nor the ticket cache is set",
					"Set the keytab holding the principal's keys, or '" + prefix + ".kerberos.use-ticket-cache=true'.");
		}
		if (hasText(kerberos.getKeytab())) {
			requireReadable(new Setting<>(kerberos.getKeytab(), this.kerberos.level(), prefix + ".kerberos.keytab"),
					"keytab");
		}
	}

	private void checkPasswordLogin(String mechanism, boolean jaas) {
		if (this.kerberos != null) {
			throw new KafkaStreamConfigurationException(mechanismProperty(this.kerberos),
					"A Kerberos login is set ('" + prefix(this.kerberos) + ".kerberos'), but the SASL mechanism is "
							+ mechanism,
					"Set the mechanism to GSSAPI, or remove the Kerberos settings.");
		}
		if (!JaasConfigs.usesPassword(mechanism)) {
			return;
		}
		KafkaStreamSecurityProperties.Sasl sasl = (this.credentials != null) ? this.credentials.value() : null;
		if (sasl != null && hasText(sasl.getJaasConfig())) {
			return;
		}
		String prefix = (this.credentials != null) ? prefix(this.credentials)
				: (this.mechanism != null) ? prefix(this.mechanism) : null;
		if (prefix == null || (sasl == null && jaas)) {
			return;
		}
		if (sasl == null || !hasText(sasl.getUsername())) {
			throw new KafkaStreamConfigurationException(prefix + ".sasl.username",
					"The SASL mechanism is " + mechanism + " but no user name is set",
					"Set '" + prefix + ".sasl.username' and '" + prefix + ".sasl.password', or '" + prefix
							+ ".sasl.jaas-config'.");
		}
		if (!hasText(sasl.getPassword())) {
			throw new KafkaStreamConfigurationException(prefix + ".sasl.password",
					"The SASL mechanism is " + mechanism + " but no password is set for the user name",
					"Set the password, for example from an environment variable: ${KAFKA_PASSWORD}.");
		}
	}

	private String jaasConfig(Setting<KafkaStreamSecurityProperties.Sasl> credentials, String mechanism) {
		KafkaStreamSecurityProperties.Sasl sasl = credentials.value();
		if (hasText(sasl.getJaasConfig())) {
			return sasl.getJaasConfig();
		}
		String jaas = JaasConfigs.password(mechanism, String.valueOf(sasl.getUsername()),
				String.valueOf(sasl.getPassword()));
		// GSSAPI and unknown mechanisms: check() names the mismatch
		return (jaas != null) ? jaas : "";
	}

	private String mechanism(Map<String, Object> config) {
		if (this.mechanism != null) {
			return this.mechanism.value().toUpperCase(Locale.ROOT);
		}
		Object configured = config.get(SaslConfigs.SASL_MECHANISM);
		return (configured != null) ? configured.toString().toUpperCase(Locale.ROOT) : GSSAPI;
	}

	private void requireReadable(Setting<String> file, String what) {
		Path path = Path.of(file.value());
		if (!Files.exists(path)) {
			throw new KafkaStreamConfigurationException(file.property(),
					"The " + what + " '" + file.value() + "' does not exist", "Fix the path.");
		}
		if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
			throw new KafkaStreamConfigurationException(file.property(),
					"The " + what + " '" + file.value() + "' cannot be read", "Make it a file this process can read.");
		}
	}

	private String protocolProperty(Setting<?> given) {
		return (this.protocol != null) ? this.protocol.property() : prefix(given) + ".protocol";
	}

	private String mechanismProperty(Setting<?> given) {
		return (this.mechanism != null) ? this.mechanism.property() : prefix(given) + ".sasl.mechanism";
	}

	private String prefix(Setting<?> setting) {
		return this.levels.get(setting.level()).prefix();
	}

	/**
	 * The SASL credentials in effect: a level's user name and password fill in for each
	 * other with those of the levels below, and a level's JAAS configuration replaces
	 * them, as they replace a JAAS configuration below.
	 */
	private @Nullable Setting<KafkaStreamSecurityProperties.Sasl> credentials() {
		KafkaStreamSecurityProperties.Sasl merged = null;
		int mergedLevel = -1;
		for (int index = 0; index < this.levels.size(); index++) {
			KafkaStreamSecurityProperties.Sasl sasl = this.levels.get(index).properties().getSasl();
			boolean jaas = hasText(sasl.getJaasConfig());
			if (!jaas && !hasText(sasl.getUsername()) && !hasText(sasl.getPassword())) {
				continue;
			}
			KafkaStreamSecurityProperties.Sasl next = new KafkaStreamSecurityProperties.Sasl();
			next.setJaasConfig(sasl.getJaasConfig());
			next.setUsername(sasl.getUsername());
			next.setPassword(sasl.getPassword());
			if (!jaas && merged != null && !hasText(merged.getJaasConfig())) {
				next.setUsername(hasText(sasl.getUsername()) ? sasl.getUsername() : merged.getUsername());
				next.setPassword(hasText(sasl.getPassword()) ? sasl.getPassword() : merged.getPassword());
			}
			merged = next;
			mergedLevel = index;
		}
		return (merged != null) ? new Setting<>(merged, mergedLevel, this.levels.get(mergedLevel).prefix() + ".sasl")
				: null;
	}

	/**
	 * The Kerberos login in effect, field by field, attributed to the highest level that
	 * sets one of its fields.
	 */
	private @Nullable Setting<KafkaStreamSecurityProperties.Kerberos> kerberos() {
		Setting<String> principal = last("kerberos.principal", (security) -> text(security.getKerberos().getPrincipal()));
		Setting<String> keytab = last("kerberos.keytab", (security) -> text(security.getKerberos().getKeytab()));
		Setting<Boolean> ticketCache = last("kerberos.use-ticket-cache",
				(security) -> security.getKerberos().getUseTicketCache());
		Setting<String> ticketCacheFile = last("kerberos.ticket-cache",
				(security) -> text(security.getKerberos().getTicketCache()));
		if (principal == null && keytab == null && ticketCache == null && ticketCacheFile == null) {
			return null;
		}
		KafkaStreamSecurityProperties.Kerberos merged = new KafkaStreamSecurityProperties.Kerberos();
		int level = 0;
		if (principal != null) {
			merged.setPrincipal(principal.value());
			level = principal.level();
		}
		if (keytab != null) {
			merged.setKeytab(keytab.value());
			level = Math.max(level, keytab.level());
		}
		if (ticketCache != null) {
			merged.setUseTicketCache(ticketCache.value());
			level = Math.max(level, ticketCache.level());
		}
		if (ticketCacheFile != null) {
			merged.setTicketCache(ticketCacheFile.value());
			level = Math.max(level, ticketCacheFile.level());
		}
		return new Setting<>(merged, level, this.levels.get(level).prefix() + ".kerberos");
	}

	private <T> @Nullable Setting<T> last(String name, Function<KafkaStreamSecurityProperties, @Nullable T> value) {
		for (int index = this.levels.size() - 1; index >= 0; index--) {
			Level level = this.levels.get(index);
			T found = value.apply(level.properties());
			if (found != null) {
				return new Setting<>(found, index, level.prefix() + "." + name);
			}
		}
		return null;
	}

	private static @Nullable String text(@Nullable String value) {
		return hasText(value) ? value.trim() : null;
	}

	private static boolean hasText(@Nullable String value) {
		return StringUtils.hasText(value);
	}

	/**
	 * One level of typed settings.
	 * @param prefix the prefix of its properties, such as {@code kafka-stream.security}
	 * @param properties the settings
	 */
	record Level(String prefix, KafkaStreamSecurityProperties properties) {

	}

	/**
	 * A setting in effect.
	 * @param <T> the type of its value
	 * @param value its value
	 * @param level the index of the level that sets it
	 * @param property the property that sets it
	 */
	record Setting<T>(T value, int level, String property) {

		@Override
		public String toString() {
			return this.property;
		}

	}

	/**
	 * Looks up an SSL bundle.
	 */
	@FunctionalInterface
	interface SslBundleResolver {

		/**
		 * The client properties of an SSL bundle.
		 * @param bundle the name of the bundle
		 * @param property the property naming it
		 * @return the client properties
		 * @throws KafkaStreamConfigurationException if there is no such bundle
		 */
		Map<String, Object> properties(String bundle, String property);

	}

}
