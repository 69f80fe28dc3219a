package dev.kafkastream.autoconfigure;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points the JVM at the krb5.conf of {@code kafka-stream.security.kerberos.krb5-config}.
 * Kerberos reads its configuration from the JVM-wide {@value #SYSTEM_PROPERTY} system
 * property, once: there is one per process, so kafka-stream sets it when it is not set,
 * accepts it when it names the same file, and refuses to start when it names another one
 * (a {@code -D} flag, or two sources naming different files) rather than let Kerberos
 * use the wrong realms.
 */
final class Krb5Configuration {

	static final String SYSTEM_PROPERTY = "java.security.krb5.conf";

	private static final Logger logger = LoggerFactory.getLogger(Krb5Configuration.class);

	private Krb5Configuration() {
	}

	/**
	 * Makes the JVM use the given krb5.conf.
	 * @param file the file
	 * @param property the property naming it
	 */
	static synchronized void use(String file, String property) {
		String current = System.getProperty(SYSTEM_PROPERTY);
		if (current == null) {
			System.setProperty(SYSTEM_PROPERTY, file);
			logger.info("Kerberos uses the krb5 configuration of '{}' (system property {})", property,
					SYSTEM_PROPERTY);
			return;
		}
		if (!Path.of(current).toAbsolutePath().normalize().equals(Path.of(file).toAbsolutePath().normalize())) {
			throw new KafkaStreamConfigurationException(property,
					"The JVM already uses the krb5 configuration '" + current + "' (system property " + SYSTEM_PROPERTY
							+ "), not '" + file + "': a process has one Kerberos configuration",
					"Name the same file everywhere, or remove the " + SYSTEM_PROPERTY + " system property.");
		}
	}

}
