/**
 * Secured Kafka brokers for integration tests, without Docker: {@link dev.kafkastream.test.secure.SecuredKafkaBroker}
 * is one single-node KRaft broker (a {@link dev.kafkastream.test.KafkaBrokerProcess} child JVM) shared per test JVM,
 * with one client listener per {@link dev.kafkastream.test.secure.SecureListener}:
 * <ul>
 * <li>{@code SCRAM}: {@code SASL_PLAINTEXT} + {@code SCRAM-SHA-512}; the user
 * ({@link dev.kafkastream.test.secure.SecuredKafkaBroker#scramUser()}) is created when the storage is formatted
 * ({@code kafka-storage format --add-scram}), so it exists before the broker serves anything;</li>
 * <li>{@code PLAIN}: {@code SASL_PLAINTEXT} + {@code PLAIN}, the user
 * ({@link dev.kafkastream.test.secure.SecuredKafkaBroker#plainUser()}) declared in the listener's JAAS
 * configuration;</li>
 * <li>{@code SSL}: TLS with {@code ssl.client.auth=required}; the broker trusts
 * {@link dev.kafkastream.test.secure.TestCertificates#client()} and refuses
 * {@link dev.kafkastream.test.secure.TestCertificates#untrustedClient()};</li>
 * <li>{@code SASL_SSL}: TLS (server certificate only) + {@code SCRAM-SHA-512}, same user as {@code SCRAM};</li>
 * <li>{@code GSSAPI}: {@code SASL_PLAINTEXT} + Kerberos against an in-process Apache Kerby KDC
 * ({@link dev.kafkastream.test.secure.TestKdc}, realm {@code EXAMPLE.COM}), service principal
 * {@code kafka/localhost@EXAMPLE.COM}, client principal {@code client@EXAMPLE.COM} with a keytab and a ticket
 * cache.</li>
 * </ul>
 * The broker also keeps a {@code PLAINTEXT} listener ({@code bootstrapServers()}, {@code admin()}) so that tests can
 * create topics, produce inputs and verify outputs without credentials while the application under test uses a
 * secured listener. Transactions work on all listeners; no authorizer runs. Secured listeners are advertised as
 * {@code localhost} (the Kerberos service principal and the TLS host name check use it).
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * SecuredKafkaBroker kafka = SecuredKafkaBroker.shared();          // ~10-20 s the first time in a JVM
 * String in = KafkaTestBroker.uniqueTopicName("in");
 * kafka.createTopic(in, 2);                                       // over PLAINTEXT
 * List<TestRecords.Input> inputs = TestRecords.produce(kafka.bootstrapServers(), in, 100, 3);
 * Map<String, Object> scram = kafka.clientProperties(SecureListener.SCRAM); // bootstrap + security.protocol
 *                                                                 // + sasl.mechanism + sasl.jaas.config
 * // typed values for the application: kafka.scramUser().username()/password(), kafka.krb5Conf(),
 * // kafka.kerberosClient().principal()/keytab(), kafka.ticketCache(),
 * // kafka.certificates().pemSslBundleProperties("kafka", kafka.certificates().client())
 * ... run the application against kafka.bootstrapServers(SecureListener.SCRAM) ...
 * ExactlyOnceVerifier.of(kafka.bootstrapServers(), out, inputs).awaitExactlyOnce(Duration.ofSeconds(60));
 * }</pre>
 * Wrong credentials: override a property of {@code clientProperties(listener)}, e.g. {@code sasl.jaas.config} with
 * {@link dev.kafkastream.test.secure.SecuredKafkaBroker#scramJaasConfig(String, String)} and a wrong password
 * ({@code SaslAuthenticationException}), or the {@code ssl.keystore.*} settings with
 * {@code certificates().sslProperties(certificates().untrustedClient())} ({@code SslAuthenticationException}).
 *
 * <h2>JVM-wide settings</h2>
 * The JDK reads the Kerberos configuration once per JVM from the system property {@code java.security.krb5.conf}.
 * {@code SecuredKafkaBroker.shared()} sets it to its KDC's {@code krb5.conf}, and its first call fails if it is
 * already set; code under test that sets it must be given
 * {@link dev.kafkastream.test.secure.SecuredKafkaBroker#krb5Conf()}. Failsafe runs all integration tests of the
 * module in one forked JVM, so the first test touching the secured broker sets it for all later ones. No JVM-wide
 * JAAS file ({@code java.security.auth.login.config}) is used: each client carries its login in
 * {@code sasl.jaas.config}. The broker JVM has its own {@code -Djava.security.krb5.conf}.
 */
package dev.kafkastream.test.secure;
