package dev.kafkastream.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import dev.kafkastream.autoconfigure.KafkaStreamProperties.Sink;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.sink.KafkaSinkSpec;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Start-up checks of sink settings that would break a delivery guarantee: producer
 * settings, transactional id prefixes, and the transaction timeout against the
 * checkpoints.
 */
final class SinkGuaranteeChecks {

	/**
	 * The share of the transaction timeout that one checkpoint interval plus one checkpoint
	 * timeout may take: a transaction stays open that long in the worst case.
	 */
	static final double TRANSACTION_TIMEOUT_SHARE = 0.75;

	private final KafkaStreamProperties properties;

	private final Map<String, String> prefixes = new HashMap<>();

	SinkGuaranteeChecks(KafkaStreamProperties properties) {
		this.properties = properties;
	}

	void check(String name, Sink sink) {
		if (sink.getDeliveryGuarantee() == DeliveryGuarantee.NONE) {
			return;
		}
		String guarantee = sink.getDeliveryGuarantee().name().toLowerCase(Locale.ROOT).replace('_', '-');
		requireNot(name, sink, ProducerConfig.ACKS_CONFIG, (value) -> !value.equals("all") && !value.equals("-1"),
				"Sink '" + name + "' is " + guarantee + " but its producer does not wait for all in-sync replicas",
				"Remove the property, or set it to 'all'.");
		requireNot(name, sink, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, (value) -> value.equalsIgnoreCase("false"),
				"Sink '" + name + "' is " + guarantee + " but its producer is not idempotent: a retried send could"
						+ " write a record twice or out of order",
				"Remove the property, or set it to 'true'.");
		requireNot(name, sink, ProducerConfig.RETRIES_CONFIG, (value) -> value.trim().equals("0"),
				"Sink '" + name + "' is " + guarantee + " but its producer never retries a failed send",
				"Remove the property.");
		if (sink.getDeliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
			checkTransactionalIdPrefix(name, sink);
			checkTransactionTimeout(name, sink);
		}
	}

	private void checkTransactionalIdPrefix(String name, Sink sink) {
		String prefix = sink.getTransactionalIdPrefix();
		if (!StringUtils.hasText(prefix)) {
			return;
		}
		String other = this.prefixes.putIfAbsent(prefix, name);
		if (other != null && !other.equals(name)) {
			throw new KafkaStreamConfigurationException("kafka-stream.sinks." + name + ".transactional-id-prefix",
					"Sinks '" + other + "' and '" + name + "' share the transactional id prefix '" + prefix + "'",
					"Give each exactly-once sink a prefix of its own.");
		}
	}

	private void checkTransactionTimeout(String name, Sink sink) {
		Duration timeout = transactionTimeout(sink);
		KafkaStreamProperties.Checkpoint checkpoint = this.properties.getCheckpoint();
		Duration open = checkpoint.getInterval().plus(checkpoint.getTimeout());
		if (open.toMillis() > timeout.toMillis() * TRANSACTION_TIMEOUT_SHARE) {
			throw new KafkaStreamConfigurationException("kafka-stream.sinks." + name + ".transaction-timeout",
					"The transaction timeout of sink '" + name + "' is " + timeout + ", but a transaction may stay open"
							+ " for 'kafka-stream.checkpoint.interval' plus 'kafka-stream.checkpoint.timeout' = "
							+ open + ", more than " + (int) (TRANSACTION_TIMEOUT_SHARE * 100)
							+ "% of it: the broker would abort transactions that are about to commit",
					"Raise the transaction timeout to at least "
							+ Duration.ofMillis((long) Math.ceil(open.toMillis() / TRANSACTION_TIMEOUT_SHARE))
							+ " (and at most the broker's transaction.max.timeout.ms), or shorten the checkpoint"
							+ " interval or timeout.");
		}
	}

	/**
	 * The transaction timeout a sink's producers use.
	 * @param sink the sink
	 * @return the timeout
	 */
	Duration transactionTimeout(Sink sink) {
		if (sink.getTransactionTimeout() != null) {
			return sink.getTransactionTimeout();
		}
		String configured = setting(sink, ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
		return (configured != null) ? Duration.ofMillis(Long.parseLong(configured.trim()))
				: KafkaSinkSpec.KAFKA_DEFAULT_TRANSACTION_TIMEOUT;
	}

	private void requireNot(String name, Sink sink, String key, Predicate<String> breaks,
			String problem, String action) {
		String value = sink.getProperties().get(key);
		String property = "kafka-stream.sinks." + name + ".properties." + key;
		if (value == null) {
			value = this.properties.getProperties().get(key);
			property = "kafka-stream.properties." + key;
		}
		if (value != null && breaks.test(value.trim())) {
			throw new KafkaStreamConfigurationException(property, problem + " (" + key + "=" + value + ")", action);
		}
	}

	private @Nullable String setting(Sink sink, String key) {
		String value = sink.getProperties().get(key);
		return (value != null) ? value : this.properties.getProperties().get(key);
	}

}
