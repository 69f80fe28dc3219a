package dev.kafkastream.test;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;

/**
 * A Kafka broker that integration tests can talk to, such as the in-JVM {@link EmbeddedKafkaBrokerSupport}, shared
 * per JVM, that {@link EmbeddedKafkaStream} points an application at.
 *
 * <p>The brokers of this module are single-node KRaft clusters with replication factor 1 for internal topics, no
 * initial rebalance delay and {@code auto.create.topics.enable=false}, so tests create their topics with
 * {@link #createTopic(String, int)} (or let {@link EmbeddedKafkaStream} create them). On the shared embedded broker,
 * {@link #uniqueTopicName(String)} keeps tests that run in the same JVM independent of each other.
 */
public interface KafkaTestBroker {

	/**
	 * The broker shared by all tests of this JVM, started on first use and stopped by a shutdown hook.
	 * @return the shared embedded broker
	 */
	static EmbeddedKafkaBrokerSupport embedded() {
		return EmbeddedKafkaBrokerSupport.shared();
	}

	/**
	 * A topic name that no other test of this JVM uses.
	 * @param prefix readable prefix, e.g. the test name
	 * @return {@code prefix-<n>-<random>}
	 */
	static String uniqueTopicName(String prefix) {
		return prefix + "-" + TopicSupport.nextTopicNumber() + "-"
				+ UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * The {@code bootstrap.servers} value for clients.
	 * @return e.g. {@code 127.0.0.1:39092}
	 */
	String bootstrapServers();

	/**
	 * A shared Admin client for this broker. Do not close it; it is closed with the broker.
	 * @return the admin client
	 */
	Admin admin();

	/**
	 * Creates a topic with replication factor 1 and waits until every partition has a leader.
	 * @param name the topic
	 * @param partitions number of partitions
	 */
	default void createTopic(String name, int partitions) {
		createTopic(name, partitions, Map.of());
	}

	/**
	 * Creates a topic with replication factor 1 and the given topic configs, and waits until every partition has a
	 * leader. Succeeds if the topic already exists.
	 * @param name the topic
	 * @param partitions number of partitions
	 * @param configs topic configs such as {@code cleanup.policy}
	 */
	default void createTopic(String name, int partitions, Map<String, String> configs) {
		TopicSupport.create(admin(), name, partitions, configs);
	}

	/**
	 * Creates topics with replication factor 1 and waits until every partition of each has a leader. Topics that
	 * exist already are left as they are.
	 * @param names the topics
	 * @param partitions number of partitions of each topic
	 */
	default void createTopics(Collection<String> names, int partitions) {
		for (String name : names) {
			createTopic(name, partitions);
		}
	}

}
