package dev.kafkastream.test.secure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.kerby.KOptions;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.client.KrbClient;
import org.apache.kerby.kerberos.kerb.client.KrbOption;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;
import org.apache.kerby.kerberos.kerb.type.ticket.TgtTicket;
import org.apache.kerby.util.NetworkUtil;

/**
 * A Kerberos KDC for realm {@value #REALM} running in the test JVM (Apache Kerby's {@link SimpleKdcServer}, TCP only
 * on a free port of {@code localhost}), with helpers to create principals with keytabs and to write credential
 * caches (ticket caches).
 *
 * <p>{@link #krb5Conf()} is the {@code krb5.conf} that JVMs talking to this KDC must use as
 * {@code java.security.krb5.conf}: realm {@value #REALM}, KDC {@code localhost:<port>} over TCP
 * ({@code udp_preference_limit = 1}), no DNS lookups or host name canonicalisation, AES encryption types only.
 */
public final class TestKdc implements AutoCloseable {

	/** The realm of the KDC. */
	public static final String REALM = "EXAMPLE.COM";

	private static final String HOST = "localhost";

	private static final Duration DEFAULT_TICKET_LIFETIME = Duration.ofHours(24);

	private final SimpleKdcServer server;

	private final Path directory;

	private final Path krb5Conf;

	private TestKdc(SimpleKdcServer server, Path directory, Path krb5Conf) {
		this.server = server;
		this.directory = directory;
		this.krb5Conf = krb5Conf;
	}

	/**
	 * Starts a KDC keeping its files (configuration, keytabs, ticket caches) in a directory.
	 * @param directory an existing directory
	 * @return the started KDC
	 */
	public static TestKdc start(Path directory) {
		try {
			int port = NetworkUtil.getServerPort();
			SimpleKdcServer server = new SimpleKdcServer();
			server.setWorkDir(directory.toFile());
			server.setKdcHost(HOST);
			server.setKdcRealm(REALM);
			server.setAllowUdp(false);
			server.setKdcTcpPort(port);
			// tickets of a few seconds, to test expiry (the default minimum is longer)
			server.getKdcConfig().setLong(KdcConfigKey.MINIMUM_TICKET_LIFETIME, 1L);
			server.init();
			server.start();
			Path krb5Conf = Files.writeString(directory.resolve("krb5.conf"), krb5Conf(port));
			return new TestKdc(server, directory, krb5Conf);
		}
		catch (KrbException ex) {
			throw new IllegalStateException("Cannot start the test KDC", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The {@code krb5.conf} for clients and servers of this KDC.
	 * @return the file
	 */
	public Path krb5Conf() {
		return this.krb5Conf;
	}

	/**
	 * Creates a principal with a random password and exports its keys to a keytab named after it.
	 * @param name the principal without realm, e.g. {@code kafka/localhost} or {@code client}
	 * @return the principal, its password and its keytab
	 */
	public synchronized KerberosIdentity createPrincipal(String name) {
		String principal = name + "@" + REALM;
		String password = RandomSecrets.next("krb-");
		Path keytab = this.directory.resolve(name.replace('/', '_') + ".keytab");
		try {
			this.server.createPrincipal(principal, password);
			this.server.exportPrincipal(principal, keytab.toFile());
		}
		catch (KrbException ex) {
			throw new IllegalStateException("Cannot create principal " + principal, ex);
		}
		return new KerberosIdentity(principal, password, keytab);
	}

	/**
	 * Deletes a principal from the KDC (its keytab stays), so that logging in with its keytab fails.
	 * @param identity the principal
	 */
	public synchronized void deletePrincipal(KerberosIdentity identity) {
		try {
			this.server.deletePrincipal(identity.principal());
		}
		catch (KrbException ex) {
			throw new IllegalStateException("Cannot delete principal " + identity.principal(), ex);
		}
	}

	/**
	 * Logs in as a principal (a TGT requested from this KDC with its password) and writes the ticket to a new
	 * credential cache file, as {@code kinit -c <file>} would.
	 * @param identity the principal
	 * @param name file name of the ticket cache, within the KDC directory
	 * @return the ticket cache file
	 */
	public Path writeTicketCache(KerberosIdentity identity, String name) {
		return writeTicketCache(identity, name, DEFAULT_TICKET_LIFETIME);
	}

	/**
	 * Like {@link #writeTicketCache(KerberosIdentity, String)}, with a ticket valid for the given time only (e.g. a
	 * few seconds, to test an expired ticket).
	 * @param identity the principal
	 * @param name file name of the ticket cache, within the KDC directory
	 * @param lifetime how long the ticket is valid, in whole seconds
	 * @return the ticket cache file
	 */
	public synchronized Path writeTicketCache(KerberosIdentity identity, String name, Duration lifetime) {
		Path cache = this.directory.resolve(name);
		KOptions options = new KOptions();
		options.add(KrbOption.CLIENT_PRINCIPAL, identity.principal());
		options.add(KrbOption.USE_PASSWD, true);
		options.add(KrbOption.USER_PASSWD, identity.password());
		options.add(KrbOption.LIFE_TIME, (int) lifetime.toSeconds());
		try {
			KrbClient client = this.server.getKrbClient();
			TgtTicket tgt = client.requestTgt(options);
			client.storeTicket(tgt, cache.toFile());
		}
		catch (KrbException ex) {
			throw new IllegalStateException("Cannot obtain a ticket for " + identity.principal(), ex);
		}
		return cache;
	}

	/** Stops the KDC. */
	@Override
	public void close() {
		try {
			this.server.stop();
		}
		catch (KrbException ex) {
			throw new IllegalStateException("Cannot stop the test KDC", ex);
		}
	}

	private static String krb5Conf(int port) {
		return """
				[libdefaults]
				    default_realm = %1$s
				    udp_preference_limit = 1
				    dns_lookup_kdc = false
				    dns_lookup_realm = false
				    dns_canonicalize_hostname = false
				    rdns = false
				    ticket_lifetime = 24h
				    forwardable = true
				    default_tkt_enctypes = aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha1-96
				    default_tgs_enctypes = aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha1-96
				    permitted_enctypes = aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha1-96

				[realms]
				    %1$s = {
				        kdc = %2$s:%3$d
				    }

				[domain_realm]
				    %2$s = %1$s
				""".formatted(REALM, HOST, port);
	}

	/**
	 * A Kerberos principal created in the test KDC.
	 * @param principal the full principal, e.g. {@code client@EXAMPLE.COM}
	 * @param password its password (used to write ticket caches)
	 * @param keytab a keytab with its keys
	 */
	public record KerberosIdentity(String principal, String password, Path keytab) {

		@Override
		public String toString() {
			return "KerberosIdentity[" + this.principal + ", keytab=" + this.keytab + "]";
		}

	}

}
