package dev.kafkastream.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import dev.kafkastream.test.KafkaBrokerProcess;
import dev.kafkastream.test.TcpProxy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * A KRaft broker in a child process with a TCP proxy in front of the listener the
 * application uses: the application reaches the broker only through the proxy, which the
 * broker advertises, so that a scenario can cut, slow down or reset that network path.
 * The load driver, the verifier and the admin client use the broker's own listener.
 * <p>
 * A test class registers one, shared by its scenarios:
 * {@code @RegisterExtension static final FaultCluster cluster = new FaultCluster();}
 */
final class FaultCluster implements BeforeAllCallback, AfterAllCallback {

	private static final String APPLICATION_LISTENER = "APPLICATION";

	private KafkaBrokerProcess broker;

	private TcpProxy proxy;

	@Override
	public void beforeAll(ExtensionContext context) {
		this.broker = KafkaBrokerProcess.builder()
			.listener(APPLICATION_LISTENER, SecurityProtocol.PLAINTEXT)
			// a transaction past its timeout is aborted within a second of it
			.brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
			.brokerProperty("group.min.session.timeout.ms", "2000")
			.build();
		this.proxy = TcpProxy.start("localhost", this.broker.port(APPLICATION_LISTENER));
		this.broker.advertise(APPLICATION_LISTENER, this.proxy.host(), this.proxy.port());
		this.broker.start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.broker != null) {
			this.broker.close();
		}
	}

	/**
	 * The address the application bootstraps from: the proxy's.
	 * @return the bootstrap servers
	 */
	String applicationBootstrapServers() {
		return this.proxy.address();
	}

	/**
	 * The broker's own address, for the load, the checks and the admin client.
	 * @return the bootstrap servers
	 */
	String bootstrapServers() {
		return this.broker.bootstrapServers();
	}

	Admin admin() {
		return this.broker.admin();
	}

	KafkaBrokerProcess broker() {
		return this.broker;
	}

	TcpProxy proxy() {
		return this.proxy;
	}

	void createTopics(int partitions, String... topics) {
		List<NewTopic> newTopics = java.util.Arrays.stream(topics)
			.map((topic) -> new NewTopic(topic, partitions, (short) 1).configs(Map.of("min.insync.replicas", "1")))
			.toList();
		try {
			admin().createTopics(newTopics).all().get();
			// the load starts at once: wait until every partition has its leader
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(50))
				// a topic just created may be unknown to the broker's metadata for a moment
				.ignoreExceptions()
				.until(() -> admin().describeTopics(List.of(topics))
					.allTopicNames()
					.get()
					.values()
					.stream()
					.allMatch((description) -> description.partitions().size() == partitions
							&& description.partitions().stream().allMatch((partition) -> partition.leader() != null)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot create " + List.of(topics), ex.getCause());
		}
	}

}
