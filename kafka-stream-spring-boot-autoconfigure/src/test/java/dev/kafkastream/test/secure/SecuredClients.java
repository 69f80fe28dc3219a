package dev.kafkastream.test.secure;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain Kafka clients with raw security properties, for the tests proving that each listener of
 * {@link SecuredKafkaBroker} enforces its security.
 */
final class SecuredClients {

	private static final Duration AWAIT = Duration.ofSeconds(30);

	private SecuredClients() {
	}

	/**
	 * Commits one transaction of 20 records to a new topic through a listener, then reads it back with the
	 * {@code read_committed} {@link ExactlyOnceVerifier} through the same listener with the same properties.
	 * @param kafka the broker
	 * @param listener the listener the properties are for
	 * @param clientProperties the client properties, including {@code bootstrap.servers}
	 */
	static void assertTransactionsWork(SecuredKafkaBroker kafka, SecureListener listener,
			Map<String, Object> clientProperties) {
		String topic = KafkaTestBroker.uniqueTopicName("secure-" + listener.name().toLowerCase(Locale.ROOT));
		kafka.createTopic(topic, 2);
		List<TestRecords.Input> inputs = TestRecords.expected(20, 3);
		Map<String, Object> producerProperties = producerProperties(clientProperties);
		producerProperties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties)) {
			producer.initTransactions();
			producer.beginTransaction();
			inputs.forEach((input) -> producer.send(new ProducerRecord<>(topic, input.key(), input.value())));
			producer.commitTransaction();
		}
		ExactlyOnceVerifier verifier = ExactlyOnceVerifier.of(kafka.bootstrapServers(listener), topic, inputs);
		clientProperties.forEach(verifier::consumerProperty);
		assertThat(verifier.awaitExactlyOnce(AWAIT).recordsRead()).isEqualTo(inputs.size());
	}

	/**
	 * Creates a transactional producer and initialises its transactions, the first call that needs the broker.
	 * Throws what the client throws, e.g. an authentication exception (after at most 20 seconds).
	 * @param clientProperties the client properties, including {@code bootstrap.servers}
	 */
	static void initTransactions(Map<String, Object> clientProperties) {
		Map<String, Object> properties = producerProperties(clientProperties);
		properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaTestBroker.uniqueTopicName("refused"));
		properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
			producer.initTransactions();
		}
	}

	/**
	 * {@link TestRecords#producerProperties(String)} with the given client properties added.
	 * @param clientProperties the client properties, including {@code bootstrap.servers}
	 * @return a new mutable map
	 */
	static Map<String, Object> producerProperties(Map<String, Object> clientProperties) {
		String bootstrapServers = (String) clientProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		Map<String, Object> properties = TestRecords.producerProperties(bootstrapServers);
		properties.putAll(clientProperties);
		return properties;
	}

}
