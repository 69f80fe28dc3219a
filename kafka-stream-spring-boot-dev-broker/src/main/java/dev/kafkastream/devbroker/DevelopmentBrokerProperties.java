package dev.kafkastream.devbroker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Configuration of the development broker, bound from the {@link Environment} before the
 * application context exists.
 */
@ConfigurationProperties(DevelopmentBrokerProperties.PREFIX)
public class DevelopmentBrokerProperties {

	/**
	 * Prefix of the development broker's properties.
	 */
	public static final String PREFIX = "kafka-stream.dev-broker";

	/**
	 * Whether to start the development broker when no bootstrap servers are configured.
	 */
	private boolean enabled = true;

	/**
	 * Directory that keeps the broker's data between runs. Created and formatted on the
	 * first run. Defaults to a temporary directory deleted when the broker stops.
	 */
	private @Nullable Path dataDirectory;

	/**
	 * Port the broker listens on for clients, on localhost. 0 picks a free port.
	 */
	private int port;

	/**
	 * Number of partitions of the topics the broker creates.
	 */
	private int partitions = 1;

	/**
	 * Whether the broker creates topics that clients ask for and that do not exist. The
	 * configured sources' and sinks' topics are created either way.
	 */
	private boolean autoCreateTopics;

	/**
	 * Further broker settings (server.properties keys), applied last.
	 */
	private Map<String, String> properties = new LinkedHashMap<>();

	private final Skip skip = new Skip();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Path getDataDirectory() {
		return this.dataDirectory;
	}

	public void setDataDirectory(@Nullable Path dataDirectory) {
		this.dataDirectory = dataDirectory;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public int getPartitions() {
		return this.partitions;
	}

	public void setPartitions(int partitions) {
		this.partitions = partitions;
	}

	public boolean isAutoCreateTopics() {
		return this.autoCreateTopics;
	}

	public void setAutoCreateTopics(boolean autoCreateTopics) {
		this.autoCreateTopics = autoCreateTopics;
	}

	public Map<String, String> getProperties() {
		return this.properties;
	}

	public void setProperties(Map<String, String> properties) {
		this.properties = properties;
	}

	public Skip getSkip() {
		return this.skip;
	}

	/**
	 * Binds the properties from the environment.
	 * @param environment the application's environment
	 * @return the bound properties
	 */
	static DevelopmentBrokerProperties get(Environment environment) {
		return Binder.get(environment).bindOrCreate(PREFIX, DevelopmentBrokerProperties.class);
	}

	/**
	 * When the development broker is not started.
	 */
	public static class Skip {

		/**
		 * Whether to skip the development broker in tests (JUnit, TestNG or Spring Boot's
		 * test support on the stack).
		 */
		private boolean inTests = true;

		public boolean isInTests() {
			return this.inTests;
		}

		public void setInTests(boolean inTests) {
			this.inTests = inTests;
		}

	}

}
