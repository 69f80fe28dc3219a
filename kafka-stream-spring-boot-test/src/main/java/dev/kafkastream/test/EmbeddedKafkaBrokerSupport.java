package dev.kafkastream.test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A single-node KRaft Kafka broker running inside the test JVM, wrapping spring-kafka-test's
 * {@link EmbeddedKafkaKraftBroker}.
 *
 * <p>Most tests should use the JVM-wide instance, started lazily on first use and stopped by a shutdown hook:
 * <pre>{@code
 * KafkaTestBroker kafka = KafkaTestBroker.embedded();   // same as EmbeddedKafkaBrokerSupport.shared()
 * String topic = KafkaTestBroker.uniqueTopicName("orders");
 * kafka.createTopic(topic, 3);
 * ... kafka.bootstrapServers() ...
 * }</pre>
 * Tests needing special broker settings can start a private instance with {@link #start(Map)} and close it.
 *
 * <p>Broker settings ({@link #DEFAULT_BROKER_PROPERTIES}): {@code transaction.state.log.replication.factor=1},
 * {@code transaction.state.log.min.isr=1}, {@code offsets.topic.replication.factor=1},
 * {@code group.initial.rebalance.delay.ms=0}, {@code auto.create.topics.enable=false}, and — to make the first
 * transactional producer and the first consumer group start fast — 4 partitions for {@code __consumer_offsets}
 * and {@code __transaction_state}. Because auto-creation is off, create topics with
 * {@link #createTopic(String, int)}, or name them in {@link EmbeddedKafkaStream}.
 */
public final class EmbeddedKafkaBrokerSupport implements KafkaTestBroker, AutoCloseable {

	/** Broker settings applied to every embedded broker (overridable through {@link #start(Map)}). */
	public static final Map<String, String> DEFAULT_BROKER_PROPERTIES = Map.of(
			"transaction.state.log.replication.factor", "1",
			"transaction.state.log.min.isr", "1",
			"transaction.state.log.num.partitions", "4",
			"offsets.topic.replication.factor", "1",
			"offsets.topic.num.partitions", "4",
			"group.initial.rebalance.delay.ms", "0",
			"auto.create.topics.enable", "false");

	private static volatile EmbeddedKafkaBrokerSupport shared;

	private final EmbeddedKafkaKraftBroker broker;

	private final Admin admin;

	private final Duration startupTime;

	private EmbeddedKafkaBrokerSupport(Map<String, String> extraProperties) {
		Map<String, String> properties = new LinkedHashMap<>(DEFAULT_BROKER_PROPERTIES);
		properties.putAll(extraProperties);
		long started = System.nanoTime();
		EmbeddedKafkaKraftBroker kraft = new EmbeddedKafkaKraftBroker(1, 1);
		kraft.brokerProperties(properties);
		kraft.afterPropertiesSet();
		this.broker = kraft;
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kraft.getBrokersAsString()));
		this.startupTime = Duration.ofNanos(System.nanoTime() - started);
	}

	/**
	 * The broker shared by all tests of this JVM; started on first call, stopped by a JVM shutdown hook.
	 * @return the shared broker
	 */
	public static EmbeddedKafkaBrokerSupport shared() {
		EmbeddedKafkaBrokerSupport result = shared;
		if (result == null) {
			synchronized (EmbeddedKafkaBrokerSupport.class) {
				result = shared;
				if (result == null) {
					result = new EmbeddedKafkaBrokerSupport(Map.of());
					EmbeddedKafkaBrokerSupport toClose = result;
					Runtime.getRuntime().addShutdownHook(new Thread(toClose::close, "embedded-kafka-shutdown"));
					shared = result;
				}
			}
		}
		return result;
	}

	/**
	 * Starts a private broker; the caller must {@link #close()} it.
	 * @param extraProperties broker properties added to (or overriding) {@link #DEFAULT_BROKER_PROPERTIES}
	 * @return the started broker
	 */
	public static EmbeddedKafkaBrokerSupport start(Map<String, String> extraProperties) {
		return new EmbeddedKafkaBrokerSupport(extraProperties);
	}

	@Override
	public String bootstrapServers() {
		return this.broker.getBrokersAsString();
	}

	@Override
	public Admin admin() {
		return this.admin;
	}

	/**
	 * The wrapped spring-kafka-test broker, e.g. to register it as a bean.
	 * @return the broker
	 */
	public EmbeddedKafkaKraftBroker broker() {
		return this.broker;
	}

	/**
	 * How long starting this broker took (for diagnostics).
	 * @return the startup time
	 */
	public Duration startupTime() {
		return this.startupTime;
	}

	/** Stops the broker and closes the admin client. */
	@Override
	public void close() {
		try {
			this.admin.close(Duration.ofSeconds(5));
		}
		finally {
			this.broker.destroy();
		}
	}

	@Override
	public String toString() {
		return "EmbeddedKafkaBrokerSupport[" + bootstrapServers() + "]";
	}

}
