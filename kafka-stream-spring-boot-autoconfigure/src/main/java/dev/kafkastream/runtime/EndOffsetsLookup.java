package dev.kafkastream.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks up the end offsets of one pipeline's partitions with an admin client of its own,
 * at the isolation level its consumers read at, each lookup bounded by a timeout.
 */
final class EndOffsetsLookup {

	private static final Logger logger = LoggerFactory.getLogger(EndOffsetsLookup.class);

	private final KafkaClients clients;

	private final Map<String, Object> adminConfig;

	private final KafkaClientLog adminLog;

	private final IsolationLevel isolationLevel;

	private @Nullable Admin admin;

	private volatile EndOffsets latest = EndOffsets.NONE;

	EndOffsetsLookup(KafkaSourceSpec source, String instanceId, KafkaClients clients) {
		this.clients = clients;
		this.adminLog = KafkaClientLog.admin("source '" + source.name() + "' end offsets admin client");
		this.adminConfig = AdminConfigs.from(source.consumerProperties(),
				"kafka-stream-" + instanceId + "-" + source.name() + "-end-offsets");
		Object isolation = source.consumerProperties().get(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
		this.isolationLevel = (isolation != null)
				? IsolationLevel.valueOf(isolation.toString().trim().toUpperCase(Locale.ROOT))
				: IsolationLevel.READ_UNCOMMITTED;
	}

	EndOffsets latest() {
		return this.latest;
	}

	/**
	 * Looks the end offsets of the given partitions up, waiting at most the timeout.
	 * Called by one thread at a time.
	 * @param partitions the partitions
	 * @param timeout how long to wait for the broker
	 * @param maxAge how old the end offsets may grow before they are stale
	 */
	void refresh(Set<TopicPartition> partitions, Duration timeout, Duration maxAge) {
		if (partitions.isEmpty()) {
			this.latest = new EndOffsets(Map.of(), Instant.now(), null, maxAge);
			return;
		}
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		partitions.forEach((partition) -> request.put(partition, OffsetSpec.latest()));
		try {
			Map<TopicPartition, ListOffsetsResultInfo> result = admin()
				.listOffsets(request,
						new ListOffsetsOptions(this.isolationLevel).timeoutMs((int) Math.max(1, timeout.toMillis())))
				.all()
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			Map<TopicPartition, Long> offsets = new HashMap<>();
			result.forEach((partition, info) -> offsets.put(partition, info.offset()));
			this.latest = new EndOffsets(offsets, Instant.now(), null, maxAge);
		}
		catch (ExecutionException ex) {
			failed(ex.getCause(), maxAge);
		}
		catch (TimeoutException ex) {
			failed(new TimeoutException("no answer from the broker within " + timeout), maxAge);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			failed(ex, maxAge);
		}
	}

	private void failed(Throwable cause, Duration maxAge) {
		EndOffsets last = this.latest;
		logger.debug("Could not look up end offsets", cause);
		this.latest = new EndOffsets(last.offsets(), last.refreshed(), cause.toString(), maxAge);
	}

	private Admin admin() {
		Admin admin = this.admin;
		if (admin == null) {
			admin = this.clients.createAdmin(this.adminConfig);
			this.adminLog.created(this.adminConfig);
			this.admin = admin;
		}
		return admin;
	}

	void close() {
		Admin admin = this.admin;
		this.admin = null;
		if (admin != null) {
			try {
				admin.close(Duration.ZERO);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not close the end offsets admin client", ex);
			}
		}
	}

}
