package dev.kafkastream.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointParticipant;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.core.NonRetryableException;
import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread of a source: it owns one consumer and, when the pipeline has a sink, one
 * producer. It polls, hands each record to the handler in partition order, and at every
 * checkpoint commits what it processed as the delivery guarantee requires:
 * <ul>
 * <li>exactly-once: the offsets go into the producer's transaction, which is committed;
 * <li>at-least-once: the producer is flushed, a failed send is rethrown, then the offsets
 * are committed;
 * <li>none: the offsets are committed without waiting for the producer.
 * </ul>
 * On a failure it aborts, rolls every partition back to its checkpoint, backs off and goes
 * on; nothing is read or committed again until the rollback succeeded. How progress is
 * committed and rolled back is {@link CheckpointCommitter}'s job, rebalances are
 * {@link WorkerRebalanceListener}'s.
 */
final class Worker implements Runnable, CheckpointParticipant {

	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	/**
	 * Sends the producer may have pending before the worker waits for the sink (down to
	 * half of it). The producer's {@code buffer.memory} bounds their bytes anyway; this
	 * keeps the worker from blocking inside {@code send} for long.
	 */
	private static final int MAX_PENDING_SENDS = 50_000;

	/** How often a worker waiting for pending sends polls its (paused) consumer. */
	private static final Duration PENDING_SENDS_CHECK = Duration.ofMillis(50);

	/**
	 * How often a worker waiting to retry a record polls its (paused) consumer and takes
	 * the checkpoint due.
	 */
	private static final Duration RETRY_WAIT_SLICE = Duration.ofMillis(100);

	private final Pipeline pipeline;

	private final String name;

	private final int index;

	private final String clientId;

	private final KafkaSourceSpec source;

	private final @Nullable SinkWriter sinkWriter;

	private final Map<String, SinkWriter> sinkWriters;

	private final @Nullable WorkerProducer producer;

	private final @Nullable StopPositions stops;

	private final DeliveryGuarantee guarantee;

	private final CheckpointCoordinator coordinator;

	private final KafkaClients clients;

	private final RecoverySettings recovery;

	private final OwnedPartitions owned = new OwnedPartitions();

	private final SendFailure sendFailure = new SendFailure();

	private final Output output = new Output();

	private final RecordDispatcher dispatcher;

	private final CheckpointCommitter committer;

	private final IdentityConflicts conflicts;

	private final FailureClassifier failures;

	private final long keepAliveNanos;

	private final String instanceId;

	private final Object backoffMonitor = new Object();

	private final WorkerTasks tasks;

	/** Whether it was paused on request: it polls with every partition paused. */
	private boolean paused;

	/** Whether it holds processing until its pipeline is released after the start-up checks. */
	private boolean held;

	private volatile long requestedCheckpoint = -1;

	private volatile long finalCheckpoint = Long.MAX_VALUE;

	private volatile boolean running = true;

	private volatile int consecutiveFailures;

	private volatile @Nullable String lastFailure;

	private @Nullable RecordProcessingException lastRecordFailure;

	private long handledCheckpoint = -1;

	private volatile boolean finished;

	/** Whether it joined its group and positioned the partitions it was given. */
	private volatile boolean ready;

	/** The partitions assigned to its consumer, for status. */
	private volatile Set<TopicPartition> assigned = Set.of();

	/**
	 * The positions of assigned partitions it did not read from since they were
	 * assigned, for status: their committed offsets.
	 */
	private final Map<TopicPartition, Long> unreadPositions = new ConcurrentHashMap<>();

	/** Whether an assigned partition's position is still to be found. */
	private boolean positionsUnknown = true;

	private @Nullable Consumer<byte[], byte[]> consumer;

	private @Nullable PartitionPositions positions;

	private @Nullable WorkerRebalanceListener rebalanceListener;

	Worker(Pipeline pipeline, int index, CheckpointCoordinator coordinator, KafkaClients clients,
			RecoverySettings recovery, String instanceId) {
		PipelineSpec spec = pipeline.spec();
		this.pipeline = pipeline;
		this.index = index;
		this.name = "kafka-stream-" + spec.name() + "-" + index;
		this.tasks = new WorkerTasks(this.name);
		String clientIdPrefix = spec.source().clientIdPrefix();
		this.clientId = ((clientIdPrefix != null) ? clientIdPrefix : "kafka-stream-" + instanceId) + "-" + spec.name()
				+ "-" + index;
		this.source = spec.source();
		this.guarantee = spec.deliveryGuarantee();
		Map<String, SinkWriter> writers = new HashMap<>();
		for (KafkaSinkSpec each : spec.sinks()) {
			writers.put(each.name(), new SinkWriter(each, index, this.sendFailure));
		}
		this.sinkWriters = writers;
		KafkaSinkSpec defaultSink = spec.sink();
		this.sinkWriter = (defaultSink != null) ? writers.get(defaultSink.name()) : null;
		// every sink shares this producer, configured by the producer sink
		KafkaSinkSpec sink = spec.producerSink();
		boolean deadLettering = this.source.writesDeadLetters();
		this.dispatcher = new RecordDispatcher(this.name, this.source, spec.handler(), spec.batchHandler(),
				spec.handlerObserver(),
				new BufferedOutput(spec.name(), writers.keySet()),
				deadLettering ? new DeadLetterWriter(this.sendFailure, this.source.groupId()) : null, new DispatcherHost());
		if (sink != null) {
			this.producer = createProducer(sink, clients, instanceId, index);
		}
		else if (deadLettering) {
			this.producer = new WorkerProducer(clients,
					this.source.deadLetterProducerConfig(this.clientId + "-dead-letters"), false, this.name,
					"source '" + this.source.name() + "' dead-letter producer " + index);
		}
		else {
			this.producer = null;
		}
		this.stops = pipeline.stopPositions();
		this.coordinator = coordinator;
		this.clients = clients;
		this.recovery = recovery;
		this.instanceId = instanceId;
		this.keepAliveNanos = keepAliveInterval(this.source).toNanos();
		this.committer = new CheckpointCommitter(this.name, this.guarantee, this.source.commitOffsets(), this.producer,
				this.owned, (partition) -> requirePositions().stopToCommit(partition), this.sendFailure, coordinator);
		this.conflicts = new IdentityConflicts(this.name, this.source, instanceId, index,
				transactionTimeout(this.producer));
		this.failures = failureClassifier(spec, clients);
		if (this.guarantee == DeliveryGuarantee.EXACTLY_ONCE && !this.source.subscription().usesGroup()) {
			// explicit partitions have no group to fence another reader: the producer is
			// initialised, fencing it, before the checkpoint is read (a rollback does both)
			this.committer.rollBackFirst();
		}
	}

	private static Duration transactionTimeout(@Nullable WorkerProducer producer) {
		return KafkaSinkSpec.transactionTimeoutOf((producer != null) ? producer.config() : Map.of());
	}

	private @Nullable Duration transactionAge() {
		Instant start = (this.producer != null) ? this.producer.transactionStart() : null;
		return (start != null) ? Duration.between(start, Instant.now()) : null;
	}

	/**
	 * How often a long batch polls to stay in the group: a quarter of
	 * {@code max.poll.interval.ms}.
	 */
	private static Duration keepAliveInterval(KafkaSourceSpec source) {
		Object configured = source.consumerProperties().get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
		long maxPollInterval = (configured != null) ? Long.parseLong(configured.toString().trim()) : 300_000;
		return Duration.ofMillis(Math.max(1, maxPollInterval / 4));
	}

	private FailureClassifier failureClassifier(PipelineSpec spec, KafkaClients clients) {
		WorkerProducer producer = this.producer;
		if (producer == null) {
			return new FailureClassifier(spec, (topic) -> false);
		}
		MissingTopics topics = new MissingTopics(clients, producer.config(), this.clientId + "-topics", this.name);
		return new FailureClassifier(spec, topics::isMissing);
	}

	private WorkerProducer createProducer(KafkaSinkSpec sink, KafkaClients clients, String instanceId, int index) {
		String transactionalId = null;
		if (this.guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
			String prefix = sink.transactionalIdPrefix();
			if (prefix == null) {
				throw new IllegalStateException("Sink '" + sink.name() + "' needs a transactional id prefix");
			}
			transactionalId = WorkerTransactionalIds.of(prefix, instanceId, this.source, index);
		}
		return new WorkerProducer(clients, sink.producerConfig(sinkProducerClientId(), transactionalId),
				transactionalId != null, this.name, "sink '" + sink.name() + "' producer " + index);
	}

	String name() {
		return this.name;
	}

	/**
	 * The client id of its producer for the pipeline's sinks.
	 * @return the client id
	 */
	String sinkProducerClientId() {
		return this.clientId + "-producer";
	}

	@Override
	public void run() {
		try {
			if (!this.sinkWriters.isEmpty()) {
				// the sinks' producer: created and initialised while the consumer joins its group
				requireProducer().prepare();
			}
			Map<String, Object> consumerConfig = this.source.consumerConfig(this.clientId,
					this.source.groupInstanceId(this.instanceId, this.index));
			Consumer<byte[], byte[]> consumer = this.clients.createConsumer(consumerConfig);
			KafkaClientLog.consumer("source '" + this.source.name() + "' consumer " + this.index)
				.created(consumerConfig);
			this.consumer = consumer;
			PartitionPositions positions = new PartitionPositions(this.name, this.source, this.owned, this.stops,
					consumer);
			this.positions = positions;
			WorkerRebalanceListener rebalanceListener = new WorkerRebalanceListener(this.name, consumer,
					this.committer, this.owned, positions::released, () -> Math.max(this.handledCheckpoint, 0));
			this.rebalanceListener = rebalanceListener;
			this.coordinator.register(this);
			this.source.subscription()
				.subscribe(consumer, rebalanceListener, this.index, this.source.concurrency());
			this.assigned = Set.copyOf(consumer.assignment());
			loop(consumer);
		}
		catch (Throwable ex) {
			// configuration errors, and Errors thrown by the handler: nothing to retry
			NonRetryableException permanent = this.failures.permanentFailure(ex, this.consumer == null);
			logger.error("{} stopped: {}", this.name, (permanent != null) ? permanent.getMessage() : ex.toString(), ex);
			this.pipeline.workerFailed(this, (permanent != null) ? permanent : ex);
		}
		finally {
			this.tasks.close();
			this.coordinator.unregister(this);
			close();
			this.pipeline.workerStopped(this, this.finished);
		}
	}

	private void loop(Consumer<byte[], byte[]> consumer) {
		Duration pollTimeout = this.source.pollTimeout();
		while (this.running) {
			try {
				PartitionPositions positions = requirePositions();
				if (!positions.snapshotTaken()) {
					positions.snapshot(consumer);
				}
				if (this.committer.rollbackPending()) {
					rollback(consumer);
				}
				if (this.tasks.hasPending()) {
					this.tasks.runPending();
				}
				holdUntilReleased(consumer);
				ConsumerRecords<byte[], byte[]> records = (this.paused || this.held)
						? pollWhilePaused(consumer, pollTimeout) : poll(consumer, pollTimeout);
				if (this.committer.rollbackPending()) {
					// a rebalance threw away the open transaction: read again from the checkpoint
					continue;
				}
				WorkerRebalanceListener rebalanceListener = requireRebalanceListener();
				this.committer.restoreCheckpointIds(consumer, rebalanceListener.takeNewlyAssigned());
				if (rebalanceListener.takeAssignmentChanged()) {
					this.assigned = Set.copyOf(consumer.assignment());
					this.unreadPositions.clear();
					this.positionsUnknown = true;
				}
				if (this.positionsUnknown) {
					findPositions(consumer);
				}
				if (!records.isEmpty()) {
					process(records);
					publishCounts();
				}
				if (this.committer.rollbackPending() || !this.running) {
					// the kept partitions' positions count output that was thrown away
					continue;
				}
				if (this.stops != null) {
					positions.finishPartitionsAtTheirStop(consumer);
				}
				checkpointIfRequested(consumer);
			}
			catch (WakeupException ex) {
				// stop requested
			}
			catch (NonRetryableException ex) {
				fail(ex);
			}
			catch (RuntimeException ex) {
				recover(ex);
			}
		}
	}

	/**
	 * Polls the consumer. A partition the consumer cannot position is positioned: one
	 * without a checkpoint from the starting offsets, one whose position is out of range
	 * at the nearest offset in range. Nothing is returned then; the next poll reads it.
	 * @param consumer the consumer
	 * @param timeout how long to wait for records
	 * @return the records
	 */
	private ConsumerRecords<byte[], byte[]> poll(Consumer<byte[], byte[]> consumer, Duration timeout) {
		try {
			return consumer.poll(timeout);
		}
		catch (NoOffsetForPartitionException ex) {
			requirePositions().startWithoutCheckpoint(consumer, ex.partitions());
		}
		catch (OffsetOutOfRangeException ex) {
			requirePositions().moveIntoRange(consumer, ex.offsetOutOfRangePartitions());
		}
		return ConsumerRecords.empty();
	}

	/**
	 * Finds the position of every assigned partition the worker has not read from, without
	 * waiting for the broker: one still to be looked up is tried again after the next
	 * poll. Once the worker joined its group (a subscription without one has nothing to
	 * join) and every position is known, it is ready.
	 * @param consumer the consumer
	 */
	private void findPositions(Consumer<byte[], byte[]> consumer) {
		if (this.source.subscription().usesGroup() && !requireRebalanceListener().joined()) {
			return;
		}
		boolean unknown = false;
		for (TopicPartition partition : this.assigned) {
			if (this.owned.contains(partition) || this.unreadPositions.containsKey(partition)) {
				continue;
			}
			try {
				this.unreadPositions.put(partition, consumer.position(partition, Duration.ZERO));
			}
			catch (RuntimeException ex) {
				// not positioned yet: the next poll positions it
				unknown = true;
			}
		}
		this.positionsUnknown = unknown;
		if (!unknown && !this.ready) {
			this.ready = true;
			this.pipeline.workerReady(this);
		}
	}

	/**
	 * The committed offsets of its partitions, as a checkpoint it acknowledges holds
	 * them: of those it read from, and of those assigned that it did not read from since.
	 * @return the offsets
	 */
	private Map<TopicPartition, Long> checkpointedOffsets() {
		Map<TopicPartition, Long> offsets = this.owned.committedOffsets();
		Set<TopicPartition> assigned = this.assigned;
		this.unreadPositions.forEach((partition, offset) -> {
			if (assigned.contains(partition)) {
				offsets.putIfAbsent(partition, offset);
			}
		});
		return offsets;
	}

	boolean isReady() {
		return this.ready;
	}

	/**
	 * The partitions assigned to the worker's consumer, as of its last poll.
	 * @return the partitions
	 */
	Set<TopicPartition> assignedPartitions() {
		return this.assigned;
	}

	/**
	 * Makes what was read and written so far visible to {@link #status()}.
	 */
	private void publishCounts() {
		this.dispatcher.publish();
		Instant now = Instant.now();
		for (SinkWriter writer : this.sinkWriters.values()) {
			writer.publish(now);
		}
	}

	private void process(ConsumerRecords<byte[], byte[]> records) {
		Consumer<byte[], byte[]> consumer = requireConsumer();
		for (TopicPartition partition : records.partitions()) {
			this.owned.startIfUnknown(partition, records.records(partition).get(0).offset());
		}
		if (this.producer != null) {
			this.producer.beginTransactionIfNeeded();
		}
		long keepAliveAt = System.nanoTime() + this.keepAliveNanos;
		boolean batches = this.dispatcher.batches();
		for (TopicPartition partition : records.partitions()) {
			if (!this.owned.contains(partition)) {
				// revoked by a rebalance during this batch: its new owner reads it from the checkpoint
				continue;
			}
			List<ConsumerRecord<byte[], byte[]>> partitionRecords = records.records(partition);
			Long stop = requirePositions().stopOf(partition);
			long next = -1;
			for (int i = 0; i < partitionRecords.size();) {
				ConsumerRecord<byte[], byte[]> record = partitionRecords.get(i);
				if (stop != null && record.offset() >= stop) {
					next = stop;
					break;
				}
				// a batch handler takes the records up to the stop together: a safe point follows it
				int end = batches ? batchEnd(partitionRecords, i, stop) : i + 1;
				try {
					if (batches) {
						this.dispatcher.dispatchBatch(partitionRecords.subList(i, end));
					}
					else {
						this.dispatcher.dispatch(record);
					}
				}
				catch (RecordDispatcher.RetryAbandonedException ex) {
					// revoked, rolled back or stopping while the record waited to be retried
					break;
				}
				i = end;
				next = partitionRecords.get(end - 1).offset() + 1;
				boolean sinkBehind = this.sendFailure.pending() > MAX_PENDING_SENDS;
				// a checkpoint requested is taken after this record, not at the end of a long batch
				if (sinkBehind || this.requestedCheckpoint > this.handledCheckpoint
						|| System.nanoTime() - keepAliveAt > 0) {
					this.owned.advance(partition, next);
					if (sinkBehind) {
						awaitPendingSends(consumer, MAX_PENDING_SENDS / 2);
					}
					keepAlive(consumer);
					if (this.committer.rollbackPending() || !this.running || !this.owned.contains(partition)) {
						break;
					}
					keepAliveAt = System.nanoTime() + this.keepAliveNanos;
				}
			}
			if (this.committer.rollbackPending() || !this.running) {
				return;
			}
			if (next > this.owned.position(partition)) {
				this.owned.advance(partition, next);
			}
			if (next >= 0) {
				this.owned.handled(partition, partitionRecords.get(partitionRecords.size() - 1).timestamp(),
						System.currentTimeMillis());
			}
			if (stop != null && next >= stop) {
				requirePositions().finish(consumer, partition);
			}
		}
		this.sendFailure.throwIfFailed();
	}

	/**
	 * The end of the batch of records starting at an index: the first record at or past
	 * the stop, else the end of the records.
	 */
	private static int batchEnd(List<ConsumerRecord<byte[], byte[]>> records, int from, @Nullable Long stop) {
		if (stop == null) {
			return records.size();
		}
		int end = from;
		while (end < records.size() && records.get(end).offset() < stop) {
			end++;
		}
		return end;
	}

	/**
	 * Waits until at most {@code threshold} sends are pending. The producer's callbacks
	 * wake the worker as soon as the count gets there; while it takes longer the worker
	 * polls every {@link #PENDING_SENDS_CHECK}, without waiting and with every partition
	 * paused, so rebalance callbacks run and the consumer stays in its group: a slow sink
	 * or broker slows consumption instead of blocking the worker beyond
	 * {@code max.poll.interval.ms}.
	 * @param consumer the consumer
	 * @param threshold the number of pending sends to get down to
	 */
	private void awaitPendingSends(Consumer<byte[], byte[]> consumer, int threshold) {
		while (!this.sendFailure.awaitPendingAtMost(threshold, PENDING_SENDS_CHECK.toNanos()) && this.running
				&& !this.committer.rollbackPending()) {
			pollPaused(consumer);
			this.sendFailure.throwIfFailed();
		}
	}

	/**
	 * Keeps the consumer in its group while a batch takes long: a slow handler or a
	 * throttled sink slows consumption instead of exceeding {@code max.poll.interval.ms}
	 * and causing a rebalance. A checkpoint due meanwhile is taken: the positions count
	 * exactly the records handled so far.
	 * @param consumer the consumer
	 */
	private void keepAlive(Consumer<byte[], byte[]> consumer) {
		publishCounts();
		pollPaused(consumer);
		if (!this.committer.rollbackPending()) {
			checkpointIfRequested(consumer);
			if (this.producer != null && this.running && !this.committer.rollbackPending()) {
				this.producer.beginTransactionIfNeeded();
			}
		}
	}

	/**
	 * Polls without waiting and with every partition paused, so the poll fetches nothing
	 * but runs the group protocol and the rebalance callbacks; anything it returns anyway
	 * (a partition assigned by a rebalance during the poll) is read again later. The
	 * partitions it paused are resumed whatever the poll throws.
	 * @param consumer the consumer
	 */
	private void pollPaused(Consumer<byte[], byte[]> consumer) {
		Set<TopicPartition> paused = PartitionPauses.pauseAll(consumer);
		try {
			ConsumerRecords<byte[], byte[]> unexpected = poll(consumer, Duration.ZERO);
			for (TopicPartition partition : unexpected.partitions()) {
				consumer.seek(partition, unexpected.records(partition).get(0).offset());
			}
		}
		finally {
			PartitionPauses.resume(consumer, paused);
		}
	}

	/**
	 * Polls with every assigned partition paused, those a rebalance just assigned too: the
	 * worker stays in its group and takes checkpoints but reads nothing. A record returned
	 * anyway is read again after the resume.
	 * @param consumer the consumer
	 * @param timeout how long to wait
	 * @return no records
	 */
	private ConsumerRecords<byte[], byte[]> pollWhilePaused(Consumer<byte[], byte[]> consumer, Duration timeout) {
		PartitionPauses.pauseAll(consumer);
		ConsumerRecords<byte[], byte[]> unexpected = poll(consumer, timeout);
		for (TopicPartition partition : unexpected.partitions()) {
			consumer.seek(partition, unexpected.records(partition).get(0).offset());
		}
		return ConsumerRecords.empty();
	}

	/**
	 * Reads whether the pipeline still holds processing after its start: while it does,
	 * the worker polls with every partition paused and a revocation commits nothing; once
	 * released, it resumes its partitions unless it was paused on request.
	 * @param consumer the consumer
	 */
	private void holdUntilReleased(Consumer<byte[], byte[]> consumer) {
		boolean held = this.pipeline.held();
		if (held != this.held) {
			this.held = held;
			requireRebalanceListener().holdCommits(held);
			if (!held && !this.paused) {
				resumePartitions(consumer);
			}
		}
	}

	/**
	 * Stops reading, at the worker's next poll, until {@link #resume()}.
	 * @return completed once the worker paused
	 */
	CompletableFuture<Void> pause() {
		return this.tasks.submit(() -> {
			this.paused = true;
			PartitionPauses.pauseAll(requireConsumer());
			return null;
		});
	}

	/**
	 * Reads again, at the worker's next poll; partitions finished at their stop stay
	 * paused.
	 * @return completed once the worker resumed
	 */
	CompletableFuture<Void> resume() {
		return this.tasks.submit(() -> {
			this.paused = false;
			if (!this.held) {
				resumePartitions(requireConsumer());
			}
			return null;
		});
	}

	/**
	 * Resumes every paused partition but those finished at their stop.
	 * @param consumer the consumer
	 */
	private void resumePartitions(Consumer<byte[], byte[]> consumer) {
		Set<TopicPartition> resumed = new HashSet<>(consumer.paused());
		if (this.stops != null) {
			resumed.removeIf(this.stops::isFinished);
		}
		PartitionPauses.resume(consumer, resumed);
	}

	/**
	 * Moves the assigned partitions as the reset says. The next checkpoint commits the
	 * new positions, even those equal to the last checkpoint.
	 * @param reset where to
	 * @return the new position of every partition moved
	 */
	CompletableFuture<Map<TopicPartition, Long>> reset(OffsetReset reset) {
		return this.tasks.submit(() -> {
			Consumer<byte[], byte[]> consumer = requireConsumer();
			Map<TopicPartition, Long> targets = reset.targets(consumer.assignment(),
					new ConsumerOffsetsLookup(consumer));
			targets.forEach((partition, offset) -> {
				consumer.seek(partition, offset);
				this.owned.startWithoutCheckpoint(partition, offset);
			});
			if (this.stops != null) {
				this.stops.unfinished(targets.keySet());
			}
			logger.info("{} reset {} to {}: {}", this.name, targets.keySet(), reset, targets);
			return targets;
		});
	}

	/**
	 * Makes the next checkpoint the worker takes its last: it stops once it acknowledged
	 * it.
	 * @return completed once the worker took note
	 */
	CompletableFuture<Void> stopAfterNextCheckpoint() {
		return this.tasks.submit(() -> {
			this.finalCheckpoint = Math.min(this.finalCheckpoint, this.handledCheckpoint + 1);
			return null;
		});
	}

	private static TopicPartition partition(ConsumerRecord<?, ?> record) {
		return new TopicPartition(record.topic(), record.partition());
	}

	@Override
	public void checkpointRequested(long checkpointId, boolean finalCheckpoint) {
		if (finalCheckpoint) {
			this.finalCheckpoint = checkpointId;
		}
		this.requestedCheckpoint = checkpointId;
	}

	private void checkpointIfRequested(Consumer<byte[], byte[]> consumer) {
		long checkpointId = this.requestedCheckpoint;
		if (checkpointId <= this.handledCheckpoint || this.committer.rollbackPending()) {
			// a checkpoint requested while a rollback is pending is taken after the rollback
			return;
		}
		boolean progressed;
		try {
			if (this.guarantee != DeliveryGuarantee.NONE) {
				// the commit then has nothing left to flush, so it does not block the consumer;
				// none commits the offsets read without waiting for the sends
				awaitPendingSends(consumer, 0);
				if (this.committer.rollbackPending()) {
					// a rebalance during the wait threw the transaction away
					return;
				}
			}
			this.handledCheckpoint = checkpointId;
			progressed = this.committer.commit(consumer, checkpointId);
		}
		catch (CommitDeferredException ex) {
			// no failure: nothing is thrown away and the next checkpoint commits the offsets
			logger.info(ex.getMessage());
			this.coordinator.decline(checkpointId, this, ex);
			return;
		}
		catch (RuntimeException ex) {
			this.handledCheckpoint = checkpointId;
			this.coordinator.decline(checkpointId, this, ex);
			throw ex;
		}
		if (progressed && lastFailureIsBehind()) {
			this.consecutiveFailures = 0;
			this.lastFailure = null;
			this.lastRecordFailure = null;
		}
		this.coordinator.acknowledge(checkpointId, this, checkpointedOffsets());
		if (checkpointId >= this.finalCheckpoint) {
			this.running = false;
		}
		else if (!this.committer.rollbackPending() && requirePositions().runFinished(consumer)) {
			this.finished = true;
			this.running = false;
		}
	}

	/**
	 * Whether the last failure is behind us: progress elsewhere does not count while the
	 * record that failed is still ahead of its partition's checkpoint.
	 * @return whether the failure count may start again
	 */
	private boolean lastFailureIsBehind() {
		RecordProcessingException failure = this.lastRecordFailure;
		return failure == null || !this.owned.contains(failure.partition())
				|| this.owned.committed(failure.partition()) > failure.offset();
	}

	/**
	 * Counts a failure, throws away what was written since the last checkpoint (nothing of
	 * it stays open once the pipeline says FAILED), and backs off; the loop rolls back
	 * before it reads again. Past the tolerated failures the
	 * pipeline fails. A failure retrying cannot fix fails it at once.
	 * @param thrown what went wrong
	 */
	private void recover(RuntimeException thrown) {
		// a transactional producer fails every call after a failed send: report the send
		RuntimeException failure = this.sendFailure.firstFailureBehind(thrown);
		int failures = ++this.consecutiveFailures;
		this.lastFailure = failure.toString();
		if (failure instanceof RecordProcessingException recordFailure) {
			this.lastRecordFailure = recordFailure;
		}
		if (!this.running) {
			return;
		}
		NonRetryableException permanent = this.failures.permanentFailure(failure, false);
		if (permanent != null) {
			fail(permanent);
			return;
		}
		Duration transactionAge = transactionAge();
		RuntimeException abortFailure = this.committer.throwAway();
		// a failed abort may be the first to show that another producer fenced this one
		Throwable evidence = (!FencingDetector.isFencing(failure) && FencingDetector.isFencing(abortFailure))
				? abortFailure : failure;
		NonRetryableException conflict = this.conflicts.check(evidence, System.nanoTime(), transactionAge);
		if (conflict != null) {
			fail(conflict);
			return;
		}
		if (failures >= this.recovery.maxAttempts()) {
			logger.error("{} failed {} times in a row; the pipeline fails", this.name, failures, failure);
			endLoop();
			this.pipeline.workerFailed(this, failure);
			return;
		}
		Duration backoff = this.recovery.backoff(failures);
		logger.warn("{} failed ({} of {} failures in a row); rolling back to the last checkpoint and retrying in {}",
				this.name, failures, this.recovery.maxAttempts(), backoff, failure);
		backOff(backoff);
	}

	/**
	 * Fails the pipeline at once for a failure that retrying cannot fix, after committing
	 * what was processed before it.
	 * @param failure the failure
	 */
	private void fail(NonRetryableException failure) {
		endLoop();
		this.lastFailure = failure.toString();
		logger.error("{} failed and will not retry: {}", this.name, failure.getMessage(), failure);
		if (failure instanceof CorruptRecordException && !this.committer.rollbackPending()) {
			try {
				this.committer.commit(requireConsumer(), Math.max(this.handledCheckpoint, 0));
			}
			catch (RuntimeException ex) {
				logger.warn("{} could not commit what it processed before the corrupt record", this.name, ex);
			}
		}
		this.committer.throwAway();
		this.pipeline.workerFailed(this, failure);
	}

	/**
	 * Rolls every assigned partition back to its checkpoint. Partitions of a bounded source
	 * that moved back below their stop read on.
	 * @param consumer the consumer
	 */
	private void rollback(Consumer<byte[], byte[]> consumer) {
		this.committer.rollback(consumer);
		requirePositions().rolledBack(consumer);
	}

	/**
	 * Waits after a failure, polling the (paused) consumer every keep-alive interval so a
	 * back-off longer than {@code max.poll.interval.ms} does not drop the worker from its
	 * group. Nothing is committed meanwhile: a rollback is pending.
	 * @param backoff how long to wait
	 */
	private void backOff(Duration backoff) {
		long deadline = System.nanoTime() + backoff.toNanos();
		long remaining;
		while (this.running && (remaining = deadline - System.nanoTime()) > 0) {
			pause(Duration.ofNanos(Math.min(remaining, this.keepAliveNanos)));
			if (remaining > this.keepAliveNanos && this.running) {
				try {
					pollPaused(requireConsumer());
				}
				catch (WakeupException ex) {
					return;
				}
				catch (RuntimeException ex) {
					logger.debug("{} could not poll while it backs off", this.name, ex);
				}
			}
		}
	}

	private void pause(Duration backoff) {
		long deadline = System.nanoTime() + backoff.toNanos();
		synchronized (this.backoffMonitor) {
			long remaining;
			while (this.running && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					this.backoffMonitor.wait(Math.max(1, remaining / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/**
	 * Waits before a record the handler threw on is retried. Everything before the record
	 * is handled, so the wait is spent like a long batch: the consumer stays in its group
	 * and the checkpoints due meanwhile commit up to the record, which begins a new
	 * transaction. So no retry wait, however long, outlasts {@code max.poll.interval.ms}
	 * or the transaction timeout.
	 * @param record the record to retry
	 * @param backoff how long to wait
	 * @throws RecordDispatcher.RetryAbandonedException when the record is not to be
	 * retried any more: its partition was revoked, a rollback is pending, or the worker
	 * stops
	 */
	private void awaitRetry(ConsumerRecord<byte[], byte[]> record, Duration backoff) {
		Consumer<byte[], byte[]> consumer = requireConsumer();
		TopicPartition partition = partition(record);
		if (this.owned.position(partition) < record.offset()) {
			this.owned.advance(partition, record.offset());
		}
		long deadline = System.nanoTime() + backoff.toNanos();
		while (true) {
			keepAlive(consumer);
			if (!this.running || this.committer.rollbackPending() || !this.owned.contains(partition)) {
				throw new RecordDispatcher.RetryAbandonedException();
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return;
			}
			pause(Duration.ofNanos(Math.min(remaining, RETRY_WAIT_SLICE.toNanos())));
		}
	}

	/**
	 * Stops the worker now, without a checkpoint: an open transaction is aborted.
	 */
	void stop() {
		endLoop();
		synchronized (this.backoffMonitor) {
			this.backoffMonitor.notifyAll();
		}
		Consumer<byte[], byte[]> consumer = this.consumer;
		if (consumer != null) {
			consumer.wakeup();
		}
	}

	/**
	 * Ends the loop after the current round, and keeps the worker from initialising a
	 * producer meanwhile. A worker that failed the pipeline ends its own loop: another
	 * worker may have failed it first, and another round would initialise a producer.
	 */
	private void endLoop() {
		this.running = false;
		if (this.producer != null) {
			this.producer.retire();
		}
	}

	private void close() {
		if (this.rebalanceListener != null) {
			this.rebalanceListener.closing();
		}
		if (this.producer != null) {
			this.producer.close();
		}
		if (this.consumer != null) {
			try {
				this.consumer.close(CloseOptions.groupMembershipOperation(this.source.membershipOnClose()));
			}
			catch (RuntimeException ex) {
				logger.debug("{} could not close its consumer", this.name, ex);
			}
		}
		this.owned.clear();
	}

	private PartitionPositions requirePositions() {
		PartitionPositions positions = this.positions;
		if (positions == null) {
			throw new IllegalStateException(this.name + " has no consumer");
		}
		return positions;
	}

	private Consumer<byte[], byte[]> requireConsumer() {
		Consumer<byte[], byte[]> consumer = this.consumer;
		if (consumer == null) {
			throw new IllegalStateException(this.name + " has no consumer");
		}
		return consumer;
	}

	private WorkerRebalanceListener requireRebalanceListener() {
		WorkerRebalanceListener listener = this.rebalanceListener;
		if (listener == null) {
			throw new IllegalStateException(this.name + " has no consumer");
		}
		return listener;
	}

	private WorkerProducer requireProducer() {
		WorkerProducer producer = this.producer;
		if (producer == null) {
			throw new IllegalStateException("Pipeline '" + this.source.name() + "' has no sink");
		}
		return producer;
	}

	WorkerStatus status() {
		Map<TopicPartition, WorkerStatus.PartitionStatus> partitions = new HashMap<>();
		for (TopicPartition partition : this.assigned) {
			// a partition not read from since it was assigned is at its committed offset
			Long position = this.unreadPositions.get(partition);
			partitions.put(partition, new WorkerStatus.PartitionStatus(position, position, null, null, null));
		}
		partitions.putAll(this.owned.statuses());
		List<WorkerStatus.SinkCounts> sinks = this.sinkWriters.values()
			.stream()
			.map(SinkWriter::counts)
			.sorted(Comparator.comparing(WorkerStatus.SinkCounts::sink))
			.toList();
		return new WorkerStatus(this.name, this.ready, partitions, this.consecutiveFailures, this.lastFailure,
				this.dispatcher.counts(), sinks, this.sendFailure.failedCount(),
				(this.producer != null) ? this.producer.transactionStart() : null);
	}

	@Override
	public String toString() {
		return this.name;
	}

	/**
	 * What the dispatcher needs of this worker.
	 */
	private final class DispatcherHost implements RecordDispatcher.Host {

		@Override
		public RecordOutput outputFor(ConsumerRecord<byte[], byte[]> record, @Nullable Object key,
				HandlerObserver.@Nullable Call call) {
			Worker.this.output.current = record;
			Worker.this.output.currentKey = key;
			Worker.this.output.currentCall = call;
			return Worker.this.output;
		}

		@Override
		public Producer<byte[], byte[]> deadLetterProducer() {
			return requireProducer().get();
		}

		@Override
		public void keepUpTo(TopicPartition partition, long offset) {
			Worker.this.owned.advance(partition, offset);
		}

		@Override
		public void awaitRetry(ConsumerRecord<byte[], byte[]> record, Duration backoff) {
			Worker.this.awaitRetry(record, backoff);
		}

	}

	/**
	 * Writes what the handler emits for the current record.
	 */
	private final class Output implements RecordOutput {

		@Nullable ConsumerRecord<byte[], byte[]> current;

		@Nullable Object currentKey;

		HandlerObserver.@Nullable Call currentCall;

		@Override
		public void emit(@Nullable Object value) {
			SinkWriter writer = Worker.this.sinkWriter;
			ConsumerRecord<byte[], byte[]> input = this.current;
			if (writer == null || input == null) {
				throw new IllegalStateException("Pipeline '" + Worker.this.source.name() + "' has no sink to emit to");
			}
			writer.write(requireProducer().get(), input, this.currentKey, value, this.currentCall);
		}

		@Override
		public void emit(String sink, @Nullable Object value) {
			SinkWriter writer = Worker.this.sinkWriters.get(sink);
			ConsumerRecord<byte[], byte[]> input = this.current;
			if (writer == null || input == null) {
				throw new IllegalArgumentException(
						"Pipeline '" + Worker.this.source.name() + "' has no sink '" + sink + "' to emit to");
			}
			writer.write(requireProducer().get(), input, this.currentKey, value, this.currentCall);
		}

	}

}
