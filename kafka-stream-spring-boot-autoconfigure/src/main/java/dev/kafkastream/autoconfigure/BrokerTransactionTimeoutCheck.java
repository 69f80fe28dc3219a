package dev.kafkastream.autoconfigure;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.sink.KafkaSinkSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before the pipelines start, that no exactly-once sink asks for a transaction
 * timeout above the broker's {@code transaction.max.timeout.ms}: its producers could not
 * even initialise. A broker that does not answer in time is not checked (a warning says
 * so): the pipelines then retry until it is there.
 */
class BrokerTransactionTimeoutCheck implements Consumer<KafkaStreamRuntime> {

	private static final Logger logger = LoggerFactory.getLogger(BrokerTransactionTimeoutCheck.class);

	static final String BROKER_MAX = "transaction.max.timeout.ms";

	private final Duration timeout;

	BrokerTransactionTimeoutCheck(Duration timeout) {
		this.timeout = timeout;
	}

	@Override
	public void accept(KafkaStreamRuntime runtime) {
		Map<String, KafkaSinkSpec> sinks = new HashMap<>();
		for (Pipeline pipeline : runtime.pipelines()) {
			KafkaSinkSpec sink = pipeline.spec().producerSink();
			if (sink != null && sink.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE
					&& sink.transactionTimeout() != null) {
				sinks.putIfAbsent(sink.name(), sink);
			}
		}
		if (!sinks.isEmpty()) {
			check(sinks.values());
		}
	}

	private void check(Collection<KafkaSinkSpec> sinks) {
		KafkaSinkSpec first = sinks.iterator().next();
		Map<String, Object> config = new HashMap<>(first.adminProperties());
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) this.timeout.toMillis());
		config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) this.timeout.toMillis());
		Duration brokerMax;
		try (Admin admin = Admin.create(config)) {
			Collection<Node> nodes = admin.describeCluster().nodes().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (nodes.isEmpty()) {
				return;
			}
			ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER,
					String.valueOf(nodes.iterator().next().id()));
			Config brokerConfig = admin.describeConfigs(List.of(broker))
				.all()
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
				.get(broker);
			ConfigEntry entry = (brokerConfig != null) ? brokerConfig.get(BROKER_MAX) : null;
			if (entry == null || entry.value() == null) {
				return;
			}
			brokerMax = Duration.ofMillis(Long.parseLong(entry.value()));
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			logger.warn("Could not read the broker's {} to check the sinks' transaction timeouts: {}", BROKER_MAX,
					ex.toString());
			return;
		}
		for (KafkaSinkSpec sink : sinks) {
			Duration timeout = sink.transactionTimeout();
			if (timeout != null && timeout.compareTo(brokerMax) > 0) {
				throw new KafkaStreamConfigurationException("kafka-stream.sinks." + sink.name() + ".transaction-timeout",
						"The transaction timeout of sink '" + sink.name() + "' is " + timeout
								+ ", above the broker's " + BROKER_MAX + " of " + brokerMax
								+ ": its producers cannot start",
						"Lower it to at most " + brokerMax + ", or raise the broker's " + BROKER_MAX + ".");
			}
		}
	}

}
