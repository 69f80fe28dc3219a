package dev.kafkastream.test.secure;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.config.SslConfigs;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates generated for a test run: a certificate authority, a broker certificate (subject alternative names
 * {@code localhost} and {@code 127.0.0.1}), a client certificate signed by the same authority, and an
 * {@linkplain #untrustedClient() untrusted client} certificate signed by another authority that the broker does
 * not trust.
 *
 * <p>Every identity is written both as a PKCS12 key store (private key and chain) and as PEM files (certificate
 * chain and unencrypted PKCS#8 private key), and the authority as a PKCS12 trust store and a PEM certificate, so
 * that Kafka's {@code ssl.*} settings and Spring Boot SSL bundles ({@code spring.ssl.bundle.jks.*} with
 * {@code type=PKCS12}, or {@code spring.ssl.bundle.pem.*}) can both point at them. Keys are EC P-256 (fast to
 * generate), certificates are valid for one day.
 */
public final class TestCertificates {

	/** Key store type of all key and trust stores written. */
	public static final String STORE_TYPE = "PKCS12";

	private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

	private static final Duration VALIDITY = Duration.ofDays(1);

	private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

	private final Path caCertificate;

	private final KeyStoreFile trustStore;

	private final Identity broker;

	private final Identity client;

	private final Identity untrustedClient;

	private TestCertificates(Path caCertificate, KeyStoreFile trustStore, Identity broker, Identity client,
			Identity untrustedClient) {
		this.caCertificate = caCertificate;
		this.trustStore = trustStore;
		this.broker = broker;
		this.client = client;
		this.untrustedClient = untrustedClient;
	}

	/**
	 * Generates the certificates and writes them to a directory.
	 * @param directory an existing directory
	 * @return the certificates
	 */
	public static TestCertificates create(Path directory) {
		try {
			Authority ca = Authority.create("CN=Kafka Stream Test CA");
			Authority otherCa = Authority.create("CN=Untrusted Test CA");
			Path caPem = writePem(directory.resolve("ca.crt"), ca.certificate());
			KeyStoreFile trustStore = writeTrustStore(directory.resolve("truststore.p12"), ca.certificate());
			Identity broker = ca.issue("CN=localhost", true).write(directory, "broker");
			Identity client = ca.issue("CN=client", false).write(directory, "client");
			Identity untrusted = otherCa.issue("CN=untrusted-client", false).write(directory, "untrusted-client");
			return new TestCertificates(caPem, trustStore, broker, client, untrusted);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("Cannot generate test certificates", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write test certificates to " + directory, ex);
		}
	}

	/**
	 * The certificate authority that signed the broker and client certificates, as a PEM file.
	 * @return {@code ca.crt}
	 */
	public Path caCertificate() {
		return this.caCertificate;
	}

	/**
	 * A PKCS12 trust store holding the certificate authority; brokers and clients trust it.
	 * @return {@code truststore.p12}
	 */
	public KeyStoreFile trustStore() {
		return this.trustStore;
	}

	/**
	 * The broker identity, {@code CN=localhost} with subject alternative names {@code DNS:localhost} and
	 * {@code IP:127.0.0.1}.
	 * @return the broker identity
	 */
	public Identity broker() {
		return this.broker;
	}

	/**
	 * A client identity ({@code CN=client}) signed by the trusted authority.
	 * @return the client identity
	 */
	public Identity client() {
		return this.client;
	}

	/**
	 * A client identity ({@code CN=untrusted-client}) signed by an authority the broker does not trust.
	 * @return the untrusted client identity
	 */
	public Identity untrustedClient() {
		return this.untrustedClient;
	}

	/**
	 * Kafka client SSL settings that present the given identity and trust {@link #trustStore()}.
	 * @param identity the identity to present, e.g. {@link #client()}
	 * @return {@code ssl.keystore.*}, {@code ssl.key.password} and {@code ssl.truststore.*} properties
	 */
	public Map<String, Object> sslProperties(Identity identity) {
		return Map.of(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, identity.keyStore().location().toString(),
				SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, identity.keyStore().password(),
				SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, STORE_TYPE, SslConfigs.SSL_KEY_PASSWORD_CONFIG,
				identity.keyStore().password(), SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
				this.trustStore.location().toString(), SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG,
				this.trustStore.password(), SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, STORE_TYPE);
	}

	/**
	 * Kafka client SSL settings that only trust {@link #trustStore()} (no client certificate), e.g. for
	 * {@code SASL_SSL}.
	 * @return {@code ssl.truststore.*} properties
	 */
	public Map<String, Object> trustProperties() {
		return Map.of(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, this.trustStore.location().toString(),
				SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, this.trustStore.password(),
				SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, STORE_TYPE);
	}

	/**
	 * Spring Boot properties of a PEM SSL bundle ({@code spring.ssl.bundle.pem.<name>.*}) presenting the given
	 * identity and trusting the {@linkplain #caCertificate() certificate authority}.
	 * @param name the bundle name
	 * @param identity the identity, e.g. {@link #client()}
	 * @return the properties, values are {@code file:} locations
	 */
	public Map<String, String> pemSslBundleProperties(String name, Identity identity) {
		String prefix = "spring.ssl.bundle.pem." + name + ".";
		return Map.of(prefix + "keystore.certificate", location(identity.certificateChain()),
				prefix + "keystore.private-key", location(identity.privateKey()), prefix + "truststore.certificate",
				location(this.caCertificate));
	}

	/**
	 * Spring Boot properties of a key store SSL bundle ({@code spring.ssl.bundle.jks.<name>.*}, type PKCS12)
	 * presenting the given identity and trusting {@link #trustStore()}.
	 * @param name the bundle name
	 * @param identity the identity, e.g. {@link #client()}
	 * @return the properties, locations are {@code file:} locations
	 */
	public Map<String, String> jksSslBundleProperties(String name, Identity identity) {
		String prefix = "spring.ssl.bundle.jks." + name + ".";
		KeyStoreFile keyStore = identity.keyStore();
		return Map.of(prefix + "keystore.location", location(keyStore.location()), prefix + "keystore.password",
				keyStore.password(), prefix + "keystore.type", STORE_TYPE, prefix + "key.password",
				keyStore.password(), prefix + "truststore.location", location(this.trustStore.location()),
				prefix + "truststore.password", this.trustStore.password(), prefix + "truststore.type", STORE_TYPE);
	}

	private static String location(Path file) {
		return "file:" + file;
	}

	private static KeyStoreFile writeTrustStore(Path file, X509Certificate ca)
			throws GeneralSecurityException, IOException {
		KeyStore store = KeyStore.getInstance(STORE_TYPE);
		store.load(null, null);
		store.setCertificateEntry("ca", ca);
		return save(store, file, newPassword());
	}

	private static KeyStoreFile save(KeyStore store, Path file, String password)
			throws GeneralSecurityException, IOException {
		try (OutputStream out = Files.newOutputStream(file)) {
			store.store(out, password.toCharArray());
		}
		return new KeyStoreFile(file, STORE_TYPE, password);
	}

	private static Path writePem(Path file, Certificate... chain) throws GeneralSecurityException, IOException {
		StringBuilder pem = new StringBuilder();
		for (Certificate certificate : chain) {
			pem.append(pem("CERTIFICATE", certificate.getEncoded()));
		}
		Files.writeString(file, pem, StandardCharsets.US_ASCII);
		return file;
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	private static String newPassword() {
		return RandomSecrets.next("store-");
	}

	private static KeyPair newKeyPair() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		return generator.generateKeyPair();
	}

	/**
	 * A PKCS12 key or trust store file and its password (also the password of its key, if any).
	 * @param location the file
	 * @param type the store type, {@code PKCS12}
	 * @param password the store (and key) password
	 */
	public record KeyStoreFile(Path location, String type, String password) {

		@Override
		public String toString() {
			return "KeyStoreFile[" + this.location + ", " + this.type + "]";
		}

	}

	/**
	 * A private key with its certificate chain (leaf first, then the authority).
	 * @param distinguishedName the certificate subject, e.g. {@code CN=client}
	 * @param keyStore the PKCS12 key store holding the key and the chain under the alias {@code identity}
	 * @param certificateChain a PEM file with the chain
	 * @param privateKey a PEM file with the unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY})
	 */
	public record Identity(String distinguishedName, KeyStoreFile keyStore, Path certificateChain, Path privateKey) {
	}

	private record IssuedKey(String subject, KeyPair keyPair, X509Certificate[] chain) {

		Identity write(Path directory, String name) throws GeneralSecurityException, IOException {
			KeyStore store = KeyStore.getInstance(STORE_TYPE);
			store.load(null, null);
			String password = newPassword();
			store.setKeyEntry("identity", this.keyPair.getPrivate(), password.toCharArray(), this.chain);
			KeyStoreFile file = save(store, directory.resolve(name + ".p12"), password);
			Path chainPem = writePem(directory.resolve(name + ".crt"), this.chain);
			Path keyPem = directory.resolve(name + ".key");
			Files.writeString(keyPem, pem("PRIVATE KEY", this.keyPair.getPrivate().getEncoded()),
					StandardCharsets.US_ASCII);
			return new Identity(this.subject, file, chainPem, keyPem);
		}

	}

	private record Authority(X500Name name, PrivateKey key, X509Certificate certificate) {

		static Authority create(String subject) throws GeneralSecurityException, OperatorCreationException,
				CertIOException {
			KeyPair keyPair = newKeyPair();
			X500Name name = new X500Name(subject);
			JcaX509v3CertificateBuilder builder = builder(name, name, keyPair);
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			builder.addExtension(Extension.keyUsage, true,
					new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
			return new Authority(name, keyPair.getPrivate(), sign(builder, keyPair.getPrivate()));
		}

		IssuedKey issue(String subject, boolean server) throws GeneralSecurityException, OperatorCreationException,
				CertIOException {
			KeyPair keyPair = newKeyPair();
			JcaX509v3CertificateBuilder builder = builder(this.name, new X500Name(subject), keyPair);
			JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
			builder.addExtension(Extension.extendedKeyUsage, false,
					new ExtendedKeyUsage(new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth,
							KeyPurposeId.id_kp_clientAuth }));
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					extensions.createAuthorityKeyIdentifier(this.certificate));
			if (server) {
				builder.addExtension(Extension.subjectAlternativeName, false,
						new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.dNSName, "localhost"),
								new GeneralName(GeneralName.iPAddress, "127.0.0.1") }));
			}
			X509Certificate certificate = sign(builder, this.key);
			return new IssuedKey(subject, keyPair, new X509Certificate[] { certificate, this.certificate });
		}

		private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keyPair)
				throws GeneralSecurityException, CertIOException {
			Instant now = Instant.now();
			JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
					BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
					Date.from(now.plus(VALIDITY)), subject, keyPair.getPublic());
			builder.addExtension(Extension.subjectKeyIdentifier, false,
					new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keyPair.getPublic()));
			return builder;
		}

		private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
				throws GeneralSecurityException, OperatorCreationException {
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key)));
		}

	}

}
