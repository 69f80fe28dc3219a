package dev.kafkastream.runtime;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the creation of one Kafka client of the runtime in one line: its role, its
 * {@code client.id} and the settings that differ from the client's defaults (see
 * {@link KafkaClientSummary}), at INFO the first time, at DEBUG when the client is
 * re-created, such as after a failure. It stands in for the configuration dump the Kafka
 * client logs at INFO itself.
 */
final class KafkaClientLog {

	private static final Logger logger = LoggerFactory.getLogger(KafkaClientLog.class);

	private static final KafkaClientSummary CONSUMER = new KafkaClientSummary(ConsumerConfig.configDef());

	private static final KafkaClientSummary PRODUCER = new KafkaClientSummary(ProducerConfig.configDef());

	private static final KafkaClientSummary ADMIN = new KafkaClientSummary(AdminClientConfig.configDef());

	private final String role;

	private final KafkaClientSummary summary;

	private final AtomicBoolean created = new AtomicBoolean();

	private KafkaClientLog(String role, KafkaClientSummary summary) {
		this.role = role;
		this.summary = summary;
	}

	/**
	 * The log of a consumer.
	 * @param role what it does, such as {@code source 'orders' consumer 0}
	 * @return the log
	 */
	static KafkaClientLog consumer(String role) {
		return new KafkaClientLog(role, CONSUMER);
	}

	/**
	 * The log of a producer.
	 * @param role what it does, such as {@code sink 'enriched' producer 0}
	 * @return the log
	 */
	static KafkaClientLog producer(String role) {
		return new KafkaClientLog(role, PRODUCER);
	}

	/**
	 * The log of an admin client.
	 * @param role what it does, such as {@code source 'orders' end offsets admin client}
	 * @return the log
	 */
	static KafkaClientLog admin(String role) {
		return new KafkaClientLog(role, ADMIN);
	}

	/**
	 * Logs that the client was created.
	 * @param config its configuration
	 */
	void created(Map<String, ?> config) {
		if (this.created.compareAndSet(false, true)) {
			if (logger.isInfoEnabled()) {
				logger.info("Created {}: {}", this.role, this.summary.describe(config));
			}
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Re-created {}: {}", this.role, this.summary.describe(config));
		}
	}

}
