package dev.kafkastream.devbroker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one server), run in
 * this JVM with Kafka's own {@link KafkaRaftServer}. Its data lives in a given directory,
 * formatted on first use and reused afterwards, or in a temporary directory deleted when
 * the broker is closed.
 */
public final class DevelopmentBroker implements AutoCloseable {

	private static final String HOST = "localhost";

	private static final int NODE_ID = 1;

	private static final Duration TOPIC_CREATION_TIMEOUT = Duration.ofSeconds(30);

	private static final String LOCK_FILE = "dev-broker.lock";

	/**
	 * Settings for transactions and consumer groups on a single broker.
	 */
	static final Map<String, String> SINGLE_BROKER_SETTINGS = Map.of(
			"offsets.topic.replication.factor", "1",
			"offsets.topic.num.partitions", "4",
			"transaction.state.log.replication.factor", "1",
			"transaction.state.log.min.isr", "1",
			"transaction.state.log.num.partitions", "4",
			"share.coordinator.state.topic.replication.factor", "1",
			"share.coordinator.state.topic.min.isr", "1",
			"group.initial.rebalance.delay.ms", "0");

	private final Path dataDirectory;

	private final boolean temporary;

	private final String bootstrapServers;

	private final KafkaRaftServer server;

	private final FileChannel lock;

	private DevelopmentBroker(Path dataDirectory, boolean temporary, String bootstrapServers, KafkaRaftServer server,
			FileChannel lock) {
		this.dataDirectory = dataDirectory;
		this.temporary = temporary;
		this.bootstrapServers = bootstrapServers;
		this.server = server;
		this.lock = lock;
	}

	/**
	 * Formats the data directory if needed and starts a broker on it.
	 * @param properties the broker's configuration
	 * @return the running broker
	 */
	public static DevelopmentBroker start(DevelopmentBrokerProperties properties) {
		Path configured = properties.getDataDirectory();
		Path directory = (configured != null) ? configured.toAbsolutePath() : createTemporaryDirectory();
		int port = (properties.getPort() != 0) ? properties.getPort() : freePort();
		int controllerPort = freePort();
		Map<String, String> settings = serverSettings(properties, directory, port, controllerPort);
		FileChannel lock = lock(directory, configured != null);
		KafkaRaftServer server = null;
		try {
			formatIfNeeded(directory);
			server = new KafkaRaftServer(new KafkaConfig(settings, false), Time.SYSTEM);
			server.startup();
		}
		catch (RuntimeException ex) {
			if (server != null) {
				shutDownAfterFailedStart(server, ex);
			}
			release(lock);
			if (configured == null) {
				delete(directory);
			}
			throw new IllegalStateException(
					"Cannot start the development Kafka broker on port " + port + " with data in " + directory, ex);
		}
		return new DevelopmentBroker(directory, configured == null, HOST + ":" + port, server, lock);
	}

	/**
	 * The address clients connect to.
	 * @return the bootstrap servers, {@code localhost:<port>}
	 */
	public String getBootstrapServers() {
		return this.bootstrapServers;
	}

	/**
	 * The directory that holds the broker's data.
	 * @return the data directory
	 */
	public Path getDataDirectory() {
		return this.dataDirectory;
	}

	/**
	 * Whether the data directory is temporary, deleted when the broker is closed.
	 * @return whether the data is thrown away
	 */
	public boolean isTemporary() {
		return this.temporary;
	}

	/**
	 * Creates the topics that do not exist yet.
	 * @param topics the topics' names
	 * @param partitions the number of partitions of each new topic
	 * @return the topics that were created
	 */
	public Set<String> createTopics(Collection<String> topics, int partitions) {
		if (topics.isEmpty()) {
			return Set.of();
		}
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers))) {
			Set<String> existing = admin.listTopics().names().get(TOPIC_CREATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			List<NewTopic> missing = topics.stream()
				.filter((topic) -> !existing.contains(topic))
				.map((topic) -> new NewTopic(topic, Optional.of(partitions), Optional.empty()))
				.toList();
			var results = admin.createTopics(missing).values();
			for (var result : results.entrySet()) {
				try {
					result.getValue().get(TOPIC_CREATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof TopicExistsException)) {
						throw new IllegalStateException("Cannot create topic '" + result.getKey() + "'", ex.getCause());
					}
				}
			}
			return results.keySet();
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Cannot create topics " + topics + " on " + this.bootstrapServers, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating topics " + topics, ex);
		}
	}

	/**
	 * Stops the broker and, when its data directory is temporary, deletes it.
	 */
	@Override
	public void close() {
		try {
			this.server.shutdown();
			this.server.awaitShutdown();
		}
		finally {
			release(this.lock);
			if (this.temporary) {
				delete(this.dataDirectory);
			}
		}
	}

	@Override
	public String toString() {
		return "DevelopmentBroker[" + this.bootstrapServers + ", data in " + this.dataDirectory + "]";
	}

	private static Map<String, String> serverSettings(DevelopmentBrokerProperties properties, Path directory,
			int port, int controllerPort) {
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("process.roles", "broker,controller");
		settings.put("node.id", String.valueOf(NODE_ID));
		settings.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
		settings.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
		settings.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
		settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		settings.put("controller.listener.names", "CONTROLLER");
		settings.put("inter.broker.listener.name", "PLAINTEXT");
		settings.put("log.dirs", directory.toString());
		settings.put("num.partitions", String.valueOf(properties.getPartitions()));
		settings.put("auto.create.topics.enable", String.valueOf(properties.isAutoCreateTopics()));
		settings.putAll(SINGLE_BROKER_SETTINGS);
		settings.putAll(properties.getProperties());
		return settings;
	}

	/**
	 * Locks the data directory for this broker, before Kafka's server touches it: a
	 * second broker on the same directory, in this JVM or another, would start its
	 * controller on the first one's metadata log before Kafka's own lock stops it.
	 */
	private static FileChannel lock(Path directory, boolean configured) {
		try {
			Files.createDirectories(directory);
			FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
			FileLock lock;
			try {
				lock = channel.tryLock();
			}
			catch (OverlappingFileLockException ex) {
				lock = null;
			}
			if (lock == null) {
				channel.close();
				throw new IllegalStateException("Another development Kafka broker uses " + directory
						+ (configured ? " ('" + DevelopmentBrokerProperties.PREFIX + ".data-directory')" : "")
						+ ": stop it or configure another directory");
			}
			return channel;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot lock the development broker's data directory " + directory, ex);
		}
	}

	private static void release(FileChannel lock) {
		try {
			lock.close();
		}
		catch (IOException ex) {
			// closing the channel releases the lock; nothing else to do
		}
	}

	private static void shutDownAfterFailedStart(KafkaRaftServer server, RuntimeException failure) {
		try {
			server.shutdown();
		}
		catch (RuntimeException ex) {
			failure.addSuppressed(ex);
		}
	}

	private static void formatIfNeeded(Path directory) {
		if (Files.exists(directory.resolve("meta.properties"))) {
			return;
		}
		try {
			Files.createDirectories(directory);
			new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
				.setNodeId(NODE_ID)
				.setClusterId(Uuid.randomUuid().toString())
				.setDirectories(List.of(directory.toString()))
				.setMetadataLogDirectory(directory.toString())
				.setControllerListenerName("CONTROLLER")
				.setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
				.run();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot format the broker's data directory " + directory, ex);
		}
	}

	private static Path createTemporaryDirectory() {
		try {
			return Files.createTempDirectory("kafka-stream-dev-broker-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a temporary directory for the development broker", ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot find a free port for the development broker", ex);
		}
	}

	private static void delete(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// best effort: the temporary directory is left behind
		}
	}

}
