package dev.kafkastream.autoconfigure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.CommonClientConfigs;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;

/**
 * Builds the configuration of every Kafka client kafka-stream creates, in layers, each
 * overriding the ones before:
 * <ol>
 * <li>{@code spring.kafka.*}, as Spring Boot builds it for the kind of client (without
 * what kafka-stream owns, such as serialisers, group and offset handling);
 * <li>the security protocol and SSL bundle of Spring Boot's {@code KafkaConnectionDetails}
 * for the kind of client;
 * <li>{@code kafka-stream.security.*}, then {@code kafka-stream.properties};
 * <li>the source's or sink's {@code security.*}, then its {@code properties};
 * <li>the bootstrap servers of the {@link KafkaStreamConnectionDetails}.
 * </ol>
 * The typed security settings are checked against the result. The start-up log says
 * which layer each security setting came from, once per source's consumers and sink's
 * producers, never its value.
 */
final class KafkaClientConfigs {

	private static final Logger logger = LoggerFactory.getLogger(KafkaClientConfigs.class);

	private static final String GLOBAL_SECURITY = "kafka-stream.security";

	private final KafkaStreamProperties properties;

	private final @Nullable BootKafkaSettings boot;

	private final @Nullable SslBundles sslBundles;

	private final String bootstrapServers;

	private final String bootstrapOrigin;

	private final Set<String> logged = new HashSet<>();

	KafkaClientConfigs(KafkaStreamProperties properties, @Nullable BootKafkaSettings boot,
			@Nullable SslBundles sslBundles, List<String> bootstrapServers, String bootstrapOrigin) {
		this.properties = properties;
		this.boot = boot;
		this.sslBundles = sslBundles;
		this.bootstrapServers = String.join(",", bootstrapServers);
		this.bootstrapOrigin = bootstrapOrigin;
	}

	/**
	 * The configuration of a source's consumers.
	 * @param prefix the source's property prefix, {@code kafka-stream.sources.<name>}
	 * @param source the source's properties
	 * @return the configuration
	 */
	Map<String, Object> consumer(String prefix, KafkaStreamProperties.Source source) {
		return build(ClientKind.CONSUMER, new Scope(prefix, source.getSecurity(), source.getProperties()), true);
	}

	/**
	 * The configuration of a sink's producers.
	 * @param prefix the sink's property prefix, {@code kafka-stream.sinks.<name>}
	 * @param sink the sink's properties
	 * @return the configuration
	 */
	Map<String, Object> producer(String prefix, KafkaStreamProperties.Sink sink) {
		return build(ClientKind.PRODUCER, new Scope(prefix, sink.getSecurity(), sink.getProperties()), true);
	}

	/**
	 * The configuration of the producer writing a source's dead letters: the source's
	 * security, without its consumer properties.
	 * @param prefix the source's property prefix
	 * @param source the source's properties
	 * @return the configuration
	 */
	Map<String, Object> deadLetterProducer(String prefix, KafkaStreamProperties.Source source) {
		return build(ClientKind.PRODUCER, new Scope(prefix, source.getSecurity(), Map.of()), false);
	}

	/**
	 * The configuration of the admin clients that look after a source's group or a sink's
	 * transactions. The source's or sink's properties the admin client does not know are
	 * left out by the runtime.
	 * @param prefix the source's or sink's property prefix
	 * @param security its security settings
	 * @param properties its client properties
	 * @return the configuration
	 */
	Map<String, Object> admin(String prefix, KafkaStreamSecurityProperties security, Map<String, String> properties) {
		return build(ClientKind.ADMIN, new Scope(prefix, security, properties), false);
	}

	private Map<String, Object> build(ClientKind kind, Scope scope, boolean log) {
		ClientSecurity security = new ClientSecurity(List.of(
				new ClientSecurity.Level(GLOBAL_SECURITY, this.properties.getSecurity()),
				new ClientSecurity.Level(scope.prefix() + ".security", scope.security())));
		List<Map<String, Object>> typed = security.clientProperties(layers(kind, scope, null).values(),
				this::sslBundle);
		LayeredClientConfig config = layers(kind, scope, typed);
		config.apply(this.bootstrapOrigin,
				Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers));
		Map<String, Object> values = config.values();
		security.check(values, jvmJaas());
		ClientSecurity.Setting<String> krb5 = security.krb5Config();
		if (krb5 != null) {
			Krb5Configuration.use(krb5.value(), krb5.property());
		}
		if (log && this.logged.add(kind + scope.prefix())) {
			logger.info("Security of the {}s of {}: {}", kind.name().toLowerCase(Locale.ROOT), scope.prefix(),
					config.describeSecurity());
		}
		return values;
	}

	/**
	 * The layers of a client's configuration, with the typed security settings or without.
	 */
	private LayeredClientConfig layers(ClientKind kind, Scope scope, @Nullable List<Map<String, Object>> typed) {
		LayeredClientConfig config = new LayeredClientConfig();
		if (this.boot != null) {
			config.apply("spring.kafka.*", this.boot.properties(kind));
			config.apply(this.boot.connectionDetailsOrigin(), this.boot.connectionSecurity(kind));
		}
		if (typed != null) {
			config.apply(GLOBAL_SECURITY, typed.get(0));
		}
		config.apply("kafka-stream.properties", this.properties.getProperties());
		if (typed != null) {
			config.apply(scope.prefix() + ".security", typed.get(1));
		}
		config.apply(scope.prefix() + ".properties", scope.properties());
		return config;
	}

	private Map<String, Object> sslBundle(String name, String property) {
		if (this.sslBundles == null) {
			throw new KafkaStreamConfigurationException(property, "There are no SSL bundles in the application",
					"Configure the bundle under 'spring.ssl.bundle' (Spring Boot's SslAutoConfiguration).");
		}
		if (this.boot == null) {
			throw new KafkaStreamConfigurationException(property,
					"SSL bundles need Spring Boot's Kafka support (spring-boot-kafka), which is not on the classpath",
					"Add org.springframework.boot:spring-boot-kafka, or configure SSL through 'kafka-stream.properties'.");
		}
		try {
			return this.boot.sslBundleProperties(this.sslBundles.getBundle(name));
		}
		catch (NoSuchSslBundleException ex) {
			List<String> names = new ArrayList<>(this.sslBundles.getBundleNames());
			throw new KafkaStreamConfigurationException(property, "There is no SSL bundle '" + name + "'",
					"Configure it under 'spring.ssl.bundle.jks." + name + "' or 'spring.ssl.bundle.pem." + name
							+ "', or name one of " + names + ".");
		}
	}

	private boolean jvmJaas() {
		return (this.boot != null && this.boot.jaasEnabled())
				|| System.getProperty("java.security.auth.login.config") != null;
	}

	/**
	 * The source or sink a client works for.
	 * @param prefix its property prefix
	 * @param security its security settings
	 * @param properties its client properties
	 */
	private record Scope(String prefix, KafkaStreamSecurityProperties security, Map<String, String> properties) {

	}

}
