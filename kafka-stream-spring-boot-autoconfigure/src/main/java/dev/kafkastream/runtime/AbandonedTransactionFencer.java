package dev.kafkastream.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.kafkastream.checkpoint.CheckpointSettings;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.sink.TransactionalIds;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FenceProducersResult;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts the transactions that producers of this application left open and will never
 * finish: those of workers that are not started again (an instance retired, or a
 * source's concurrency lowered) and of crashed instances that do not come back. Such a
 * transaction blocks every {@code read_committed} reader of the partitions it wrote to
 * until the broker times it out ({@code transaction.timeout.ms}). At start, then every
 * quarter of the {@link #threshold(CheckpointSettings) threshold}, this lists the ongoing
 * transactions with one of the application's transactional ids and fences the producers
 * of those open for longer than the threshold: the longest time a checkpoint cycle keeps
 * a healthy worker's transaction open (interval, minimum pause and timeout). The
 * producers of this instance's own workers and sinks are left alone: they settle their
 * transactions themselves. The transactions of others open for longer than a checkpoint
 * interval and not aborted yet are kept from each round as {@link #lingering()}.
 */
final class AbandonedTransactionFencer {

	private static final Logger logger = LoggerFactory.getLogger(AbandonedTransactionFencer.class);

	private static final Duration MIN_PERIOD = Duration.ofSeconds(1);

	private final KafkaClients clients;

	private final Map<String, Object> adminConfig;

	private final KafkaClientLog adminLog = KafkaClientLog.admin("abandoned transactions admin client");

	private final List<Pattern> applicationIds;

	private final Set<String> ownIds;

	private final Duration threshold;

	private final Duration lingerAfter;

	private volatile List<LingeringTransaction> lingering = List.of();

	private @Nullable ScheduledExecutorService executor;

	private @Nullable Admin admin;

	private boolean brokersFilterOnDuration = true;

	private @Nullable String lastProblem;

	AbandonedTransactionFencer(KafkaClients clients, Map<String, Object> adminConfig, List<Pattern> applicationIds,
			Set<String> ownIds, Duration threshold, Duration lingerAfter) {
		this.clients = clients;
		this.adminConfig = adminConfig;
		this.applicationIds = List.copyOf(applicationIds);
		this.ownIds = Set.copyOf(ownIds);
		this.threshold = threshold;
		this.lingerAfter = lingerAfter;
	}

	/**
	 * A fencer for the exactly-once producers of the given pipelines and sinks.
	 * @param pipelines the pipelines
	 * @param sinks the sinks application code sends through
	 * @param instanceId the id of this instance
	 * @param checkpoints the checkpoint settings, which bound a healthy transaction
	 * @param clients the client factory
	 * @return the fencer, or {@code null} when nothing is exactly-once
	 */
	static @Nullable AbandonedTransactionFencer of(List<PipelineSpec> pipelines, Collection<KafkaSinkSpec> sinks,
			String instanceId, CheckpointSettings checkpoints, KafkaClients clients) {
		List<Pattern> applicationIds = new ArrayList<>();
		Set<String> ownIds = new HashSet<>();
		Map<String, Object> adminProperties = null;
		for (PipelineSpec pipeline : pipelines) {
			KafkaSinkSpec sink = pipeline.producerSink();
			String prefix = transactionalIdPrefix(sink);
			if (sink != null && prefix != null) {
				applicationIds.add(TransactionalIds.ofAnyWorker(prefix, pipeline.name()));
				for (int worker = 0; worker < pipeline.source().concurrency(); worker++) {
					ownIds.add(WorkerTransactionalIds.of(prefix, instanceId, pipeline.source(), worker));
				}
				adminProperties = (adminProperties != null) ? adminProperties : sink.adminProperties();
			}
		}
		for (KafkaSinkSpec sink : sinks) {
			String prefix = transactionalIdPrefix(sink);
			if (prefix != null) {
				applicationIds.add(TransactionalIds.ofSinkInAnyInstance(prefix, sink.name()));
				ownIds.add(TransactionalIds.ofSink(prefix, instanceId, sink.name()));
				adminProperties = (adminProperties != null) ? adminProperties : sink.adminProperties();
			}
		}
		if (adminProperties == null) {
			return null;
		}
		return new AbandonedTransactionFencer(clients,
				AdminConfigs.from(adminProperties, "kafka-stream-" + instanceId + "-transaction-fencer"),
				applicationIds, ownIds, threshold(checkpoints), checkpoints.interval());
	}

	private static @Nullable String transactionalIdPrefix(@Nullable KafkaSinkSpec sink) {
		return (sink != null && sink.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE)
				? sink.transactionalIdPrefix() : null;
	}

	/**
	 * How long a transaction must have been open to be fenced: what a checkpoint cycle may
	 * take, its interval, minimum pause and timeout. A worker takes a checkpoint as soon
	 * as the record it handles returns, so a live worker's transaction is committed well
	 * within it.
	 * @param checkpoints the checkpoint settings
	 * @return the threshold
	 */
	static Duration threshold(CheckpointSettings checkpoints) {
		return checkpoints.interval().plus(checkpoints.minPause()).plus(checkpoints.timeout());
	}

	Duration threshold() {
		return this.threshold;
	}

	/**
	 * Looks for abandoned transactions now, then periodically.
	 */
	synchronized void start() {
		if (this.executor != null) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "kafka-stream-transaction-fencer");
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.max(MIN_PERIOD.toMillis(), this.threshold.toMillis() / 4);
		executor.scheduleWithFixedDelay(this::fenceAbandonedTransactions, 0, period, TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	synchronized void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor == null) {
			return;
		}
		this.executor = null;
		executor.shutdownNow();
		try {
			executor.awaitTermination(AdminConfigs.API_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Admin admin = this.admin;
		this.admin = null;
		if (admin != null) {
			admin.close(Duration.ZERO);
		}
	}

	/**
	 * Fences the producers of the application's transactions open for longer than the
	 * threshold, except this instance's own, and notes those open for longer than a
	 * checkpoint interval that are left. Failures are logged, never thrown: the next round
	 * tries again.
	 */
	void fenceAbandonedTransactions() {
		try {
			Admin admin = admin();
			List<String> candidates = listLingering(admin).stream()
				.map(TransactionListing::transactionalId)
				.filter(this::isAbandonedCandidate)
				.toList();
			List<Lingering> open = candidates.isEmpty() ? List.of() : describeLingering(admin, candidates);
			Set<String> fenced = fence(admin, open.stream().filter((lingering) -> lingering.abandoned).toList());
			this.lingering = open.stream()
				.filter((lingering) -> !fenced.contains(lingering.transaction.transactionalId()))
				.map(Lingering::transaction)
				.toList();
			this.lastProblem = null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			String problem = (ex instanceof ExecutionException && ex.getCause() != null) ? ex.getCause().toString()
					: ex.toString();
			if (!problem.equals(this.lastProblem)) {
				logger.warn("Could not look for abandoned transactions of this application to abort: {}", problem);
			}
			this.lastProblem = problem;
		}
	}

	/**
	 * The application's transactions that other instances, or workers no longer running,
	 * kept open for longer than a checkpoint interval, as the last round found them.
	 * @return the transactions
	 */
	List<LingeringTransaction> lingering() {
		return this.lingering;
	}

	boolean isAbandonedCandidate(String transactionalId) {
		return !this.ownIds.contains(transactionalId)
				&& this.applicationIds.stream().anyMatch((ids) -> ids.matcher(transactionalId).matches());
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

	/**
	 * The ongoing transactions, only those open for longer than a checkpoint interval when
	 * the brokers can filter so (Kafka 3.8 and later).
	 */
	private Collection<TransactionListing> listLingering(Admin admin) throws Exception {
		ListTransactionsOptions options = new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING));
		if (this.brokersFilterOnDuration) {
			options.filterOnDuration(this.lingerAfter.toMillis());
		}
		try {
			return admin.listTransactions(options).all().get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof UnsupportedVersionException && this.brokersFilterOnDuration) {
				this.brokersFilterOnDuration = false;
				return listLingering(admin);
			}
			throw ex;
		}
	}

	private List<Lingering> describeLingering(Admin admin, List<String> candidates) throws Exception {
		Map<String, TransactionDescription> descriptions = admin.describeTransactions(candidates).all().get();
		long now = System.currentTimeMillis();
		List<Lingering> lingering = new ArrayList<>();
		descriptions.forEach((id, description) -> {
			if (description.state() == TransactionState.ONGOING && description.transactionStartTimeMs().isPresent()) {
				Instant started = Instant.ofEpochMilli(description.transactionStartTimeMs().getAsLong());
				Duration open = Duration.ofMillis(now - started.toEpochMilli());
				if (open.compareTo(this.lingerAfter) >= 0) {
					List<String> partitions = description.topicPartitions()
						.stream()
						.map(Object::toString)
						.sorted()
						.toList();
					lingering.add(new Lingering(new LingeringTransaction(id, description.producerId(), started,
							started.plus(this.threshold), partitions), open, open.compareTo(this.threshold) >= 0));
				}
			}
		});
		return lingering;
	}

	/**
	 * Fences the producers of abandoned transactions.
	 * @return the transactional ids fenced
	 */
	private Set<String> fence(Admin admin, List<Lingering> abandoned) throws InterruptedException {
		if (abandoned.isEmpty()) {
			return Set.of();
		}
		FenceProducersResult result = admin
			.fenceProducers(abandoned.stream().map((lingering) -> lingering.transaction.transactionalId()).toList());
		Set<String> fenced = new HashSet<>();
		for (Lingering lingering : abandoned) {
			LingeringTransaction transaction = lingering.transaction;
			try {
				result.fencedProducers().get(transaction.transactionalId()).get();
				fenced.add(transaction.transactionalId());
				logger.warn("Aborted the transaction of '{}' (producer id {}), open since {} ({} s, longer than the {} s"
						+ " no live worker of this application keeps one open) on {}: its producer is gone, and it"
						+ " blocked read_committed readers of those partitions", transaction.transactionalId(),
						transaction.producerId(), transaction.started(), lingering.open.toSeconds(),
						this.threshold.toSeconds(), transaction.partitions());
			}
			catch (ExecutionException ex) {
				logger.warn("Could not abort the abandoned transaction of '{}' on {}: {}",
						transaction.transactionalId(), transaction.partitions(), ex.getCause().toString());
			}
		}
		return fenced;
	}

	private record Lingering(LingeringTransaction transaction, Duration open, boolean abandoned) {

	}

}
