package dev.kafkastream.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * A single-node KRaft Kafka broker ({@code process.roles=broker,controller}) running in a child JVM started with
 * {@link ChildJvm}, so that tests can SIGKILL it and restart it on the same ports and the same data directory.
 *
 * <pre>{@code
 * try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder().build().start()) {
 *     kafka.createTopic("in", 3);
 *     ...
 *     kafka.kill();       // SIGKILL
 *     kafka.start();      // same ports, same log dirs: committed data is still there
 * }
 * }</pre>
 *
 * <p>On the first {@link #start()} a temporary directory is created holding {@code server.properties},
 * {@code logback.xml}, the log dirs ({@code data/}) and the broker output ({@code broker.log}); the storage is
 * formatted in-process with {@code kafka.tools.StorageTool} ({@code random-uuid}, then
 * {@code format -t <uuid> -c server.properties}). Then {@code kafka.Kafka server.properties} is launched with
 * {@code -Xmx512m}, and {@code start()} returns once an Admin client can describe the cluster. Two free ports (client
 * and controller) are picked once and kept for the life of this object. {@link #close()} kills the broker and
 * deletes the directory.
 *
 * <p>Default broker settings are in {@link #DEFAULT_BROKER_PROPERTIES}: replication factor 1 and min ISR 1 for the
 * internal topics (4 partitions each), {@code group.initial.rebalance.delay.ms=0},
 * {@code auto.create.topics.enable=false}, and {@code broker.session.timeout.ms=4000} with
 * {@code broker.heartbeat.interval.ms=500} so that a restart after SIGKILL does not wait 9 seconds for the old broker
 * registration to expire. Add or override any with {@link Builder#brokerProperty(String, String)}.
 *
 * <p>Besides the {@code PLAINTEXT} listener (the one {@link #bootstrapServers()} and {@link #admin()} use), more
 * listeners can be added with {@link Builder#listener(String, SecurityProtocol)}, e.g. secured ones configured
 * through {@code listener.name.<name>.*} broker properties, and arguments such as {@code --add-scram} can be given
 * to the storage format with {@link Builder#formatArguments(String...)}.
 */
public final class KafkaBrokerProcess implements KafkaTestBroker, AutoCloseable {

	/**
	 * Broker settings applied in addition to the listener, quorum and log dir settings (overridable through the
	 * builder).
	 */
	public static final Map<String, String> DEFAULT_BROKER_PROPERTIES = defaults();

	private static final String HOST = "127.0.0.1";

	/** Host of the listeners added through the builder (Kerberos and TLS hostname checks need a name). */
	private static final String LISTENER_HOST = "localhost";

	private static final int LOG_TAIL_LINES = 60;

	private final Map<String, String> extraProperties;

	private final List<String> jvmArgs;

	private final Duration startTimeout;

	private final Map<String, Listener> listeners = new LinkedHashMap<>();

	private final Map<Integer, String> advertised = new LinkedHashMap<>();

	private final List<String> formatArguments;

	private final int port;

	private final int controllerPort;

	private Path directory;

	private ChildJvm jvm;

	private Admin admin;

	private int starts;

	private Duration lastStartupTime = Duration.ZERO;

	private KafkaBrokerProcess(Builder builder) {
		this.extraProperties = new LinkedHashMap<>(builder.properties);
		this.jvmArgs = List.copyOf(builder.jvmArgs);
		this.startTimeout = builder.startTimeout;
		this.formatArguments = List.copyOf(builder.formatArguments);
		int[] ports = freePorts(2 + builder.listeners.size());
		this.port = ports[0];
		this.controllerPort = ports[1];
		int next = 2;
		for (Map.Entry<String, SecurityProtocol> listener : builder.listeners.entrySet()) {
			this.listeners.put(listener.getKey(), new Listener(listener.getValue(), ports[next++]));
		}
	}

	/**
	 * Starts building a broker process.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Starts the broker and waits until it serves requests. The first call creates the directory and formats the
	 * storage; later calls (after {@link #kill()} or {@link #stop()}) reuse both.
	 * @return this
	 * @throws IllegalStateException if the broker is already running, or does not come up within the start
	 * timeout (the message contains the last lines of the broker log)
	 */
	public synchronized KafkaBrokerProcess start() {
		if (isRunning()) {
			throw new IllegalStateException("Broker already running: " + this);
		}
		long begin = System.nanoTime();
		if (this.directory == null) {
			prepareDirectory();
		}
		this.starts++;
		appendToLog("==== " + Instant.now() + " starting broker (start #" + this.starts + ") on " + bootstrapServers()
				+ " ====");
		List<String> args = new ArrayList<>();
		args.add("-Xms64m");
		args.add("-Xmx512m");
		args.add("-XX:+UseSerialGC");
		args.add("-XX:TieredStopAtLevel=1");
		args.add("-Djava.awt.headless=true");
		args.add("-Dlogback.configurationFile=" + this.directory.resolve("logback.xml"));
		args.add("-Dlog4j2.configurationFile=" + this.directory.resolve("log4j2.xml"));
		args.addAll(this.jvmArgs);
		this.jvm = ChildJvm.builder("kafka.Kafka")
			.jvmArgs(args)
			.args(serverProperties().toString())
			.workingDir(this.directory)
			.logFile(logFile())
			.start();
		awaitReady(begin);
		this.lastStartupTime = Duration.ofNanos(System.nanoTime() - begin);
		return this;
	}

	/**
	 * Kills the broker with SIGKILL and waits until the process is gone. Does nothing if it is not running.
	 */
	public synchronized void kill() {
		if (this.jvm != null) {
			this.jvm.kill();
		}
	}

	/**
	 * Stops the broker gracefully (SIGTERM, controlled shutdown) and waits for it to exit (SIGKILL after 60 seconds).
	 * @return the exit code, or {@code -1} if it was not running
	 */
	public synchronized int stop() {
		if (this.jvm == null || !this.jvm.isAlive()) {
			return -1;
		}
		return this.jvm.stop(Duration.ofSeconds(60));
	}

	/**
	 * Stops the broker gracefully if it is running, then starts it again with the same ports and data.
	 * @return this
	 */
	public synchronized KafkaBrokerProcess restart() {
		stop();
		return start();
	}

	/**
	 * Whether the broker process is alive.
	 * @return {@code true} if running
	 */
	public synchronized boolean isRunning() {
		return this.jvm != null && this.jvm.isAlive();
	}

	@Override
	public String bootstrapServers() {
		return HOST + ":" + this.port;
	}

	/**
	 * The {@code bootstrap.servers} value for a listener added with {@link Builder#listener(String, SecurityProtocol)}.
	 * @param listenerName the listener name
	 * @return {@code localhost:<port>}
	 * @throws IllegalArgumentException if there is no such listener
	 */
	public String bootstrapServers(String listenerName) {
		return LISTENER_HOST + ":" + port(listenerName);
	}

	/**
	 * Makes the broker advertise another address for a listener added with
	 * {@link Builder#listener(String, SecurityProtocol)}, such as that of a proxy in front of it: clients that
	 * bootstrap through that listener then connect to the advertised address. Call it before the first
	 * {@link #start()}.
	 * @param listenerName the listener name
	 * @param host the advertised host
	 * @param port the advertised port
	 * @return this
	 */
	public synchronized KafkaBrokerProcess advertise(String listenerName, String host, int port) {
		if (this.directory != null) {
			throw new IllegalStateException("Advertised addresses are written at the first start: " + this);
		}
		this.advertised.put(requireListener(listenerName).port(), host + ":" + port);
		return this;
	}

	/**
	 * The port of a listener added with {@link Builder#listener(String, SecurityProtocol)}.
	 * @param listenerName the listener name
	 * @return the port, the same across restarts
	 */
	public int port(String listenerName) {
		return requireListener(listenerName).port();
	}

	private Listener requireListener(String listenerName) {
		Listener listener = this.listeners.get(listenerName);
		if (listener == null) {
			throw new IllegalArgumentException(
					"No listener " + listenerName + " (have " + this.listeners.keySet() + ")");
		}
		return listener;
	}

	/**
	 * The client (PLAINTEXT) port; the same across restarts.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The KRaft controller port; the same across restarts.
	 * @return the port
	 */
	public int controllerPort() {
		return this.controllerPort;
	}

	/**
	 * The handle on the current (or last) broker JVM.
	 * @return the child JVM, or {@code null} before the first start
	 */
	public synchronized ChildJvm jvm() {
		return this.jvm;
	}

	/**
	 * The temporary directory holding configuration, data and logs.
	 * @return the directory, or {@code null} before the first start
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * The {@code server.properties} file the broker runs with.
	 * @return the file
	 */
	public Path serverProperties() {
		return requireDirectory().resolve("server.properties");
	}

	/**
	 * The broker output (all starts appended).
	 * @return the log file
	 */
	public Path logFile() {
		return requireDirectory().resolve("broker.log");
	}

	/**
	 * The last lines of the broker output.
	 * @param lines maximum number of lines
	 * @return the lines
	 */
	public String logTail(int lines) {
		return (this.directory != null) ? ChildJvm.tail(logFile(), lines) : "";
	}

	/**
	 * How long the last {@link #start()} took until the broker answered.
	 * @return the duration
	 */
	public Duration lastStartupTime() {
		return this.lastStartupTime;
	}

	/**
	 * A shared Admin client (created lazily; it reconnects by itself after restarts). Closed by {@link #close()}.
	 * @return the admin client
	 */
	@Override
	public synchronized Admin admin() {
		if (this.admin == null) {
			this.admin = Admin.create(adminConfig());
		}
		return this.admin;
	}

	/** Kills the broker, closes the admin client and deletes the temporary directory. */
	@Override
	public synchronized void close() {
		try {
			if (this.admin != null) {
				this.admin.close(Duration.ZERO);
				this.admin = null;
			}
			if (this.jvm != null) {
				this.jvm.close();
			}
		}
		finally {
			if (this.directory != null) {
				deleteRecursively(this.directory);
			}
		}
	}

	@Override
	public String toString() {
		return "KafkaBrokerProcess[" + bootstrapServers() + ", dir=" + this.directory + ", running=" + isRunning()
				+ "]";
	}

	private Path requireDirectory() {
		if (this.directory == null) {
			throw new IllegalStateException("Broker not started yet");
		}
		return this.directory;
	}

	private Map<String, Object> adminConfig() {
		return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
				2000, AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
	}

	private void awaitReady(long begin) {
		long deadline = begin + this.startTimeout.toNanos();
		Exception last = null;
		try (Admin probe = Admin.create(adminConfig())) {
			while (System.nanoTime() < deadline) {
				if (!this.jvm.isAlive()) {
					throw startFailure("Broker process exited with code " + this.jvm.exitCode(), null);
				}
				try {
					Collection<Node> nodes = probe.describeCluster(new DescribeClusterOptions().timeoutMs(1000))
						.nodes()
						.get(2, TimeUnit.SECONDS);
					if (!nodes.isEmpty()) {
						return;
					}
				}
				catch (ExecutionException | TimeoutException ex) {
					last = ex;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Interrupted while starting " + this, ex);
				}
			}
		}
		this.jvm.kill();
		throw startFailure("Broker did not answer within " + this.startTimeout, last);
	}

	private IllegalStateException startFailure(String message, Exception cause) {
		return new IllegalStateException(message + " (" + bootstrapServers() + ", dir " + this.directory
				+ "). Last lines of " + logFile() + ":\n" + logTail(LOG_TAIL_LINES), cause);
	}

	private void prepareDirectory() {
		try {
			this.directory = Files.createTempDirectory("kafka-broker-");
			Files.createDirectories(this.directory.resolve("data"));
			Files.writeString(this.directory.resolve("server.properties"), serverPropertiesText());
			Files.writeString(this.directory.resolve("logback.xml"), LOGBACK_XML);
			Files.writeString(this.directory.resolve("log4j2.xml"), LOG4J2_XML);
			format();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot prepare broker directory", ex);
		}
	}

	private String serverPropertiesText() {
		Map<String, String> props = new LinkedHashMap<>();
		props.put("process.roles", "broker,controller");
		props.put("node.id", "1");
		props.put("controller.quorum.voters", "1@" + HOST + ":" + this.controllerPort);
		StringBuilder listeners = new StringBuilder("PLAINTEXT://" + HOST + ":" + this.port);
		StringBuilder advertisedListeners = new StringBuilder(listeners);
		StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		this.listeners.forEach((name, listener) -> {
			String address = LISTENER_HOST + ":" + listener.port();
			listeners.append(',').append(name).append("://").append(address);
			advertisedListeners.append(',')
				.append(name)
				.append("://")
				.append(this.advertised.getOrDefault(listener.port(), address));
			protocols.append(',').append(name).append(':').append(listener.protocol().name);
		});
		props.put("listeners", listeners + ",CONTROLLER://" + HOST + ":" + this.controllerPort);
		props.put("advertised.listeners", advertisedListeners.toString());
		props.put("controller.listener.names", "CONTROLLER");
		props.put("inter.broker.listener.name", "PLAINTEXT");
		props.put("listener.security.protocol.map", protocols.toString());
		props.put("log.dirs", this.directory.resolve("data").toString());
		props.putAll(DEFAULT_BROKER_PROPERTIES);
		props.putAll(this.extraProperties);
		StringBuilder text = new StringBuilder("# generated by ").append(KafkaBrokerProcess.class.getName())
			.append('\n');
		props.forEach((key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
		return text.toString();
	}

	private void format() {
		String uuid = storageTool("random-uuid").trim();
		List<String> args = new ArrayList<>(List.of("format", "-t", uuid, "-c", serverProperties().toString()));
		args.addAll(this.formatArguments);
		String output = storageTool(args.toArray(String[]::new));
		appendToLog("StorageTool format -t " + uuid + " (+" + this.formatArguments.size() + " arguments): "
				+ output.trim());
	}

	/** Runs {@code kafka.tools.StorageTool} in-process ({@code execute} returns instead of exiting the JVM). */
	private String storageTool(String... args) {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		int code;
		try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
			code = kafka.tools.StorageTool.execute(args, out);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("StorageTool " + String.join(" ", args) + " failed: " + ex.getMessage()
					+ "\n" + buffer.toString(StandardCharsets.UTF_8), ex);
		}
		String output = buffer.toString(StandardCharsets.UTF_8);
		if (code != 0) {
			throw new IllegalStateException("StorageTool " + String.join(" ", args) + " exited with " + code + ":\n"
					+ output);
		}
		return output;
	}

	private void appendToLog(String line) {
		try {
			Files.writeString(logFile(), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String escape(String value) {
		return value.replace("\\", "\\\\").replace("\n", "\\n");
	}

	private static int[] freePorts(int count) {
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			int[] ports = new int[count];
			for (int i = 0; i < count; i++) {
				ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName(HOST));
				socket.setReuseAddress(true);
				sockets.add(socket);
				ports[i] = socket.getLocalPort();
			}
			return ports;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot find free ports", ex);
		}
		finally {
			for (ServerSocket socket : sockets) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// ignore
				}
			}
		}
	}

	private static void deleteRecursively(Path root) {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					// best effort
				}
			});
		}
		catch (IOException ex) {
			// best effort
		}
	}

	private static Map<String, String> defaults() {
		Map<String, String> props = new LinkedHashMap<>();
		props.put("offsets.topic.replication.factor", "1");
		props.put("offsets.topic.num.partitions", "4");
		props.put("transaction.state.log.replication.factor", "1");
		props.put("transaction.state.log.min.isr", "1");
		props.put("transaction.state.log.num.partitions", "4");
		props.put("share.coordinator.state.topic.replication.factor", "1");
		props.put("share.coordinator.state.topic.min.isr", "1");
		props.put("group.initial.rebalance.delay.ms", "0");
		props.put("auto.create.topics.enable", "false");
		props.put("num.partitions", "1");
		// After a SIGKILL the restarted broker cannot register until the controller expires the old incarnation's
		// session (default 9 s); a shorter session makes restarts after kill() take ~4 s instead of ~13 s.
		props.put("broker.heartbeat.interval.ms", "500");
		props.put("broker.session.timeout.ms", "4000");
		return java.util.Collections.unmodifiableMap(props);
	}

	private static final String LOGBACK_XML = """
			<configuration>
			  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
				<encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
			  </appender>
			  <logger name="kafka" level="INFO"/>
			  <logger name="org.apache.kafka" level="WARN"/>
			  <logger name="org.apache.kafka.controller" level="INFO"/>
			  <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
			  <root level="INFO"><appender-ref ref="OUT"/></root>
			</configuration>
			""";

	private static final String LOG4J2_XML = """
			<Configuration status="WARN">
			  <Appenders><Console name="OUT" target="SYSTEM_OUT">
				<PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level [%t] %c{1.} - %msg%n"/>
			  </Console></Appenders>
			  <Loggers><Root level="INFO"><AppenderRef ref="OUT"/></Root></Loggers>
			</Configuration>
			""";

	private record Listener(SecurityProtocol protocol, int port) {
	}

	/**
	 * Builder of a {@link KafkaBrokerProcess}. Obtain one with {@link KafkaBrokerProcess#builder()}.
	 */
	public static final class Builder {

		private final Map<String, String> properties = new LinkedHashMap<>();

		private final List<String> jvmArgs = new ArrayList<>();

		private final Map<String, SecurityProtocol> listeners = new LinkedHashMap<>();

		private final List<String> formatArguments = new ArrayList<>();

		private Duration startTimeout = Duration.ofSeconds(60);

		private Builder() {
		}

		/**
		 * Adds or overrides a broker property in {@code server.properties}.
		 * @param key the property, e.g. {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}
		 * @param value the value
		 * @return this builder
		 */
		public Builder brokerProperty(String key, String value) {
			this.properties.put(key, value);
			return this;
		}

		/**
		 * Adds or overrides broker properties in {@code server.properties}.
		 * @param properties the properties
		 * @return this builder
		 */
		public Builder brokerProperties(Map<String, String> properties) {
			this.properties.putAll(properties);
			return this;
		}

		/**
		 * Adds a client listener bound to and advertised as {@code localhost} on a free port (see
		 * {@link KafkaBrokerProcess#bootstrapServers(String)}). Its settings go in {@code listener.name.<name>.*}
		 * broker properties (lower case name), e.g. {@code listener.name.scram.sasl.enabled.mechanisms}.
		 * @param name the listener name, e.g. {@code SCRAM}
		 * @param protocol its security protocol
		 * @return this builder
		 */
		public Builder listener(String name, SecurityProtocol protocol) {
			this.listeners.put(name, protocol);
			return this;
		}

		/**
		 * Adds arguments to the {@code kafka-storage format} run before the first start, e.g.
		 * {@code --add-scram SCRAM-SHA-512=[name=alice,password=secret]}.
		 * @param arguments the arguments
		 * @return this builder
		 */
		public Builder formatArguments(String... arguments) {
			this.formatArguments.addAll(List.of(arguments));
			return this;
		}

		/**
		 * Adds JVM options for the broker JVM (after the defaults, so they win).
		 * @param jvmArgs the options
		 * @return this builder
		 */
		public Builder jvmArgs(String... jvmArgs) {
			this.jvmArgs.addAll(List.of(jvmArgs));
			return this;
		}

		/**
		 * How long {@link KafkaBrokerProcess#start()} waits for the broker (default 60 seconds).
		 * @param startTimeout the timeout
		 * @return this builder
		 */
		public Builder startTimeout(Duration startTimeout) {
			this.startTimeout = startTimeout;
			return this;
		}

		/**
		 * Creates the (not yet started) broker; ports are chosen now.
		 * @return the broker
		 */
		public KafkaBrokerProcess build() {
			return new KafkaBrokerProcess(this);
		}

	}

}
