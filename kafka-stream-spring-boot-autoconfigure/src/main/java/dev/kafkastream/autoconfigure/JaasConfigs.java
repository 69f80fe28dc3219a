package dev.kafkastream.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Builds the {@code sasl.jaas.config} of a SASL mechanism from typed settings. Values are
 * quoted, so they may hold any character.
 */
final class JaasConfigs {

	private JaasConfigs() {
	}

	/**
	 * Whether a mechanism needs a user name and password: PLAIN and the SCRAM ones.
	 * @param mechanism the mechanism, upper case
	 * @return whether it does
	 */
	static boolean usesPassword(String mechanism) {
		return mechanism.equals("PLAIN") || mechanism.startsWith("SCRAM-");
	}

	/**
	 * The JAAS configuration of a mechanism that logs in with a user name and password.
	 * @param mechanism the mechanism
	 * @param username the user name (the client id for OAUTHBEARER)
	 * @param password the password (the client secret for OAUTHBEARER)
	 * @return the JAAS configuration, or {@code null} for a mechanism that does not log in
	 * with a password
	 */
	static @Nullable String password(String mechanism, String username, String password) {
		String upper = mechanism.toUpperCase(Locale.ROOT);
		if (upper.equals("PLAIN")) {
			return login("org.apache.kafka.common.security.plain.PlainLoginModule",
					List.of(option("username", username), option("password", password)));
		}
		if (upper.startsWith("SCRAM-")) {
			return login("org.apache.kafka.common.security.scram.ScramLoginModule",
					List.of(option("username", username), option("password", password)));
		}
		if (upper.equals("OAUTHBEARER")) {
			return login("org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule",
					List.of(option("clientId", username), option("clientSecret", password)));
		}
		return null;
	}

	/**
	 * The JAAS configuration of a Kerberos login, with a keytab, the ticket cache or both.
	 * @param kerberos the Kerberos settings
	 * @return the JAAS configuration
	 */
	static String kerberos(KafkaStreamSecurityProperties.Kerberos kerberos) {
		List<String> options = new ArrayList<>();
		if (Boolean.TRUE.equals(kerberos.getUseTicketCache())) {
			options.add("useTicketCache=true");
			if (StringUtils.hasText(kerberos.getTicketCache())) {
				options.add(option("ticketCache", kerberos.getTicketCache().trim()));
			}
		}
		if (StringUtils.hasText(kerberos.getKeytab())) {
			options.add("useKeyTab=true");
			options.add("storeKey=true");
			options.add(option("keyTab", kerberos.getKeytab().trim()));
		}
		if (StringUtils.hasText(kerberos.getPrincipal())) {
			options.add(option("principal", kerberos.getPrincipal().trim()));
		}
		return login("com.sun.security.auth.module.Krb5LoginModule", options);
	}

	private static String login(String loginModule, List<String> options) {
		StringBuilder jaas = new StringBuilder(loginModule).append(" required");
		options.forEach((option) -> jaas.append(' ').append(option));
		return jaas.append(';').toString();
	}

	private static String option(String name, String value) {
		return name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}
