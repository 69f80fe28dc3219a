package dev.kafkastream.test.secure;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Random passwords for the test users, key stores and principals, distinct per run so that tests can search logs
 * for them.
 */
final class RandomSecrets {

	private static final SecureRandom RANDOM = new SecureRandom();

	private RandomSecrets() {
	}

	/**
	 * A new random password.
	 * @param prefix a readable prefix
	 * @return {@code prefix} followed by 24 random hex digits
	 */
	static String next(String prefix) {
		byte[] bytes = new byte[12];
		RANDOM.nextBytes(bytes);
		return prefix + HexFormat.of().formatHex(bytes);
	}

}
