package dev.kafkastream.it.scaling;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;

/**
 * The ways a consumer group shares partitions, as the consumer properties that choose them.
 * The classic protocol's members heartbeat every 500 ms so that they notice a rebalance
 * quickly; the consumer protocol (KIP-848) refuses those properties: its broker sets the
 * heartbeat interval.
 */
enum GroupProtocol {

	/** Classic protocol, eager {@link RangeAssignor}: every rebalance revokes everything. */
	EAGER(Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName(),
			ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000)),

	/** Classic protocol, {@link CooperativeStickyAssignor}: only moved partitions are revoked. */
	COOPERATIVE(Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
			CooperativeStickyAssignor.class.getName(), ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500,
			ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000)),

	/** The consumer group protocol of KIP-848: the broker assigns, incrementally. */
	CONSUMER(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));

	private final Map<String, Object> consumerProperties;

	GroupProtocol(Map<String, Object> consumerProperties) {
		this.consumerProperties = consumerProperties;
	}

	Map<String, Object> consumerProperties() {
		return this.consumerProperties;
	}

}
