package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointMetadata;
import dev.kafkastream.checkpoint.CheckpointParticipant;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.core.NonRetryableException;
import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
 * on; nothing is read again until the rollback succeeded.
 */
final class Worker implements Runnable, CheckpointParticipant {

	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private static final Duration CHECKPOINT_ID_LOOKUP_TIMEOUT = Duration.ofMillis(500);

	/**
	 * Sends the producer may have pending before the worker waits for the sink (down to
	 * half of it). The producer's {@code buffer.memory} bounds their bytes anyway; this
	 * keeps the worker from blocking inside {@code send} for long.
	 */
	private static final int MAX_PENDING_SENDS = 50_000;

	/** How often a worker waiting for pending sends polls its (paused) consumer. */
	private static final Duration PENDING_SENDS_CHECK = Duration.ofMillis(50);

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

	private final Set<TopicPartition> newlyAssigned = new HashSet<>();

	private final SendFailure sendFailure = new SendFailure();

	private final Output output = new Output();

	private final RecordDispatcher dispatcher;

	private final IdentityConflicts conflicts;

	private final long keepAliveNanos;

	private final String instanceId;

	private final Object backoffMonitor = new Object();

	private volatile long requestedCheckpoint = -1;

	private volatile long finalCheckpoint = Long.MAX_VALUE;

	private volatile boolean running = true;

	private volatile int consecutiveFailures;

	private volatile @Nullable String lastFailure;

	private @Nullable RecordProcessingException lastRecordFailure;

	private long handledCheckpoint = -1;

	private boolean needsRollback;

	private boolean commitOnRevocation = true;

	private volatile boolean finished;

	private @Nullable Consumer<byte[], byte[]> consumer;

	private @Nullable PartitionPositions positions;


	Worker(Pipeline pipeline, int index, CheckpointCoordinator coordinator, KafkaClients clients,
			RecoverySettings recovery, String instanceId) {
		PipelineSpec spec = pipeline.spec();
		this.pipeline = pipeline;
		this.index = index;
		this.name = "kafka-stream-" + spec.name() + "-" + index;
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
		this.dispatcher = new RecordDispatcher(this.name, this.source, spec.handler(),
				new BufferedOutput(spec.name(), writers.keySet()),
				deadLettering ? new DeadLetterWriter(this.sendFailure) : null, new DispatcherHost());
		if (sink != null) {
			this.producer = createProducer(sink, clients, instanceId, index);
		}
		else if (deadLettering) {
			this.producer = new WorkerProducer(clients,
					this.source.deadLetterProducerConfig(this.clientId + "-dead-letters"), false, this.name);
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
		this.conflicts = new IdentityConflicts(this.name, this.source, instanceId, index);
		// explicit partitions have no group to fence another reader: the producer is
		// initialised, fencing it, before the checkpoint is read (a rollback does both)
		this.needsRollback = this.guarantee == DeliveryGuarantee.EXACTLY_ONCE
				&& !this.source.subscription().usesGroup();
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

	private WorkerProducer createProducer(KafkaSinkSpec sink, KafkaClients clients, String instanceId, int index) {
		String transactionalId = null;
		if (this.guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
			String prefix = sink.transactionalIdPrefix();
			if (prefix == null) {
				throw new IllegalStateException("Sink '" + sink.name() + "' needs a transactional id prefix");
			}
			transactionalId = WorkerTransactionalIds.of(prefix, instanceId, this.source, index);
		}
		return new WorkerProducer(clients, sink.producerConfig(this.clientId + "-producer", transactionalId),
				transactionalId != null, this.name);
	}

	String name() {
		return this.name;
	}

	@Override
	public void run() {
		try {
			Consumer<byte[], byte[]> consumer = this.clients.createConsumer(this.source.consumerConfig(this.clientId,
					this.source.groupInstanceId(this.instanceId, this.index)));
			this.consumer = consumer;
			this.positions = new PartitionPositions(this.name, this.source, this.owned, this.stops,
					new ConsumerOffsetsLookup(consumer));
			this.coordinator.register(this);
			this.source.subscription()
				.subscribe(consumer, new RebalanceListener(), this.index, this.source.concurrency());
			loop(consumer);
		}
		catch (Throwable ex) {
			// configuration errors, and Errors thrown by the handler: nothing to retry
			logger.error("{} stopped", this.name, ex);
			this.pipeline.workerFailed(this, ex);
		}
		finally {
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
				if (this.needsRollback) {
					rollback(consumer);
				}
				ConsumerRecords<byte[], byte[]> records;
				try {
					records = consumer.poll(pollTimeout);
				}
				catch (NoOffsetForPartitionException ex) {
					positions.startWithoutCheckpoint(consumer, ex.partitions());
					continue;
				}
				catch (OffsetOutOfRangeException ex) {
					positions.moveIntoRange(consumer, ex.offsetOutOfRangePartitions());
					continue;
				}
				if (this.needsRollback) {
					// a rebalance threw away the open transaction: read again from the checkpoint
					continue;
				}
				restoreCheckpointIds(consumer);
				if (!records.isEmpty()) {
					process(records);
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

	private void process(ConsumerRecords<byte[], byte[]> records) {
		Consumer<byte[], byte[]> consumer = requireConsumer();
		for (TopicPartition partition : records.partitions()) {
			this.owned.startIfUnknown(partition, records.records(partition).get(0).offset());
		}
		if (this.producer != null) {
			this.producer.beginTransactionIfNeeded();
		}
		long keepAliveAt = System.nanoTime() + this.keepAliveNanos;
		for (TopicPartition partition : records.partitions()) {
			if (!this.owned.contains(partition)) {
				// revoked by a rebalance during this batch: its new owner reads it from the checkpoint
				continue;
			}
			List<ConsumerRecord<byte[], byte[]>> partitionRecords = records.records(partition);
			Long stop = requirePositions().stopOf(partition);
			long next = -1;
			for (ConsumerRecord<byte[], byte[]> record : partitionRecords) {
				if (stop != null && record.offset() >= stop) {
					next = stop;
					break;
				}
				this.dispatcher.dispatch(record);
				next = record.offset() + 1;
				boolean sinkBehind = this.sendFailure.pending() > MAX_PENDING_SENDS;
				if (sinkBehind || System.nanoTime() - keepAliveAt > 0) {
					this.owned.advance(partition, next);
					if (sinkBehind) {
						awaitPendingSends(consumer, MAX_PENDING_SENDS / 2);
					}
					keepAlive(consumer);
					if (this.needsRollback || !this.running || !this.owned.contains(partition)) {
						break;
					}
					keepAliveAt = System.nanoTime() + this.keepAliveNanos;
				}
			}
			if (this.needsRollback || !this.running) {
				return;
			}
			if (next > this.owned.position(partition)) {
				this.owned.advance(partition, next);
			}
			if (stop != null && next >= stop) {
				requirePositions().finish(consumer, partition);
			}
		}
		this.sendFailure.throwIfFailed();
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
		Set<TopicPartition> paused = null;
		try {
			while (!this.sendFailure.awaitPendingAtMost(threshold, PENDING_SENDS_CHECK.toNanos()) && this.running
					&& !this.needsRollback) {
				if (paused == null) {
					paused = new HashSet<>(consumer.assignment());
					paused.removeAll(consumer.paused());
					consumer.pause(paused);
				}
				ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(Duration.ZERO);
				for (TopicPartition partition : unexpected.partitions()) {
					consumer.seek(partition, unexpected.records(partition).get(0).offset());
				}
				this.sendFailure.throwIfFailed();
			}
		}
		finally {
			if (paused != null) {
				paused.retainAll(consumer.assignment());
				consumer.resume(paused);
			}
		}
	}

	/**
	 * Keeps the consumer in its group while a batch takes long: a slow handler or a
	 * throttled sink slows consumption instead of exceeding {@code max.poll.interval.ms}
	 * and causing a rebalance. The partitions are paused so the poll fetches nothing;
	 * anything it returns anyway (a partition assigned by a rebalance during the poll) is
	 * read again later. A checkpoint due meanwhile is taken: the positions count exactly
	 * the records handled so far.
	 * @param consumer the consumer
	 */
	private void keepAlive(Consumer<byte[], byte[]> consumer) {
		Set<TopicPartition> paused = new HashSet<>(consumer.assignment());
		paused.removeAll(consumer.paused());
		consumer.pause(paused);
		ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(Duration.ZERO);
		for (TopicPartition partition : unexpected.partitions()) {
			consumer.seek(partition, unexpected.records(partition).get(0).offset());
		}
		paused.retainAll(consumer.assignment());
		consumer.resume(paused);
		if (!this.needsRollback) {
			checkpointIfRequested(consumer);
			if (this.producer != null && this.running) {
				this.producer.beginTransactionIfNeeded();
			}
		}
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
		if (checkpointId <= this.handledCheckpoint) {
			return;
		}
		this.handledCheckpoint = checkpointId;
		boolean finishing = this.stops != null && this.source.bounded() && this.stops.allFinished();
		boolean progressed;
		try {
			if (this.guarantee != DeliveryGuarantee.NONE) {
				// the commit then has nothing left to flush, so it does not block the consumer;
				// none commits the offsets read without waiting for the sends
				awaitPendingSends(consumer, 0);
			}
			progressed = commit(consumer, checkpointId);
		}
		catch (RuntimeException ex) {
			this.coordinator.decline(checkpointId, this, ex);
			throw ex;
		}
		if (progressed && lastFailureIsBehind()) {
			this.consecutiveFailures = 0;
			this.lastFailure = null;
			this.lastRecordFailure = null;
		}
		this.coordinator.acknowledge(checkpointId, this, this.owned.committedOffsets());
		if (checkpointId >= this.finalCheckpoint) {
			this.running = false;
		}
		else if (finishing) {
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
	 * Commits everything processed so far, as the delivery guarantee requires.
	 * @param consumer the consumer
	 * @param checkpointId the id written in the offsets' metadata
	 * @return whether any partition moved forward
	 */
	private boolean commit(Consumer<byte[], byte[]> consumer, long checkpointId) {
		Map<TopicPartition, OffsetAndMetadata> offsets = this.owned.uncommitted(checkpointId);
		if (this.guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
			WorkerProducer producer = requireProducer();
			if (!producer.transactionOpen() && offsets.isEmpty()) {
				// nothing was read since the last commit
				return false;
			}
			producer.beginTransactionIfNeeded();
			producer.commitTransaction(offsets, consumer.groupMetadata());
		}
		else {
			if (this.guarantee == DeliveryGuarantee.AT_LEAST_ONCE && this.producer != null) {
				this.producer.flush();
			}
			this.sendFailure.throwIfFailed();
			if (!offsets.isEmpty() && this.source.commitOffsets()) {
				consumer.commitSync(offsets);
			}
		}
		this.owned.markCommitted(offsets);
		return !offsets.isEmpty();
	}

	/**
	 * Counts a failure, throws away what was written since the last checkpoint, and backs
	 * off; the loop rolls back before it reads again. Past the tolerated failures the
	 * pipeline fails.
	 * @param failure what went wrong
	 */
	private void recover(RuntimeException failure) {
		int failures = ++this.consecutiveFailures;
		this.lastFailure = failure.toString();
		if (failure instanceof RecordProcessingException recordFailure) {
			this.lastRecordFailure = recordFailure;
		}
		if (!this.running) {
			return;
		}
		NonRetryableException conflict = this.conflicts.check(failure, System.nanoTime());
		if (conflict != null) {
			fail(conflict);
			return;
		}
		if (failures >= this.recovery.maxAttempts()) {
			logger.error("{} failed {} times in a row; the pipeline fails", this.name, failures, failure);
			this.pipeline.workerFailed(this, failure);
			return;
		}
		Duration backoff = this.recovery.backoff(failures);
		logger.warn("{} failed ({} of {} failures in a row); rolling back to the last checkpoint and retrying in {}",
				this.name, failures, this.recovery.maxAttempts(), backoff, failure);
		if (this.producer != null) {
			this.producer.abort();
		}
		this.sendFailure.clear();
		this.needsRollback = true;
		pause(backoff);
	}

	/**
	 * Fails the pipeline at once for a failure that retrying cannot fix, after committing
	 * what was processed before it.
	 * @param failure the failure
	 */
	private void fail(NonRetryableException failure) {
		this.lastFailure = failure.toString();
		logger.error("{} failed and will not retry: {}", this.name, failure.getMessage(), failure);
		if (failure instanceof CorruptRecordException && !this.needsRollback) {
			try {
				commit(requireConsumer(), Math.max(this.handledCheckpoint, 0));
			}
			catch (RuntimeException ex) {
				logger.warn("{} could not commit what it processed before the corrupt record", this.name, ex);
			}
		}
		this.pipeline.workerFailed(this, failure);
	}

	/**
	 * Seeks every assigned partition back to its checkpoint as the broker knows it. The
	 * producer is created first: its {@code initTransactions()} settles a transaction
	 * whose commit outcome was unknown, so the committed offsets read next are final.
	 * @param consumer the consumer
	 */
	private void rollback(Consumer<byte[], byte[]> consumer) {
		this.sendFailure.clear();
		if (this.producer != null) {
			this.producer.get();
		}
		Set<TopicPartition> assignment = consumer.assignment();
		this.owned.retainOnly(assignment);
		Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment);
		for (TopicPartition partition : assignment) {
			OffsetAndMetadata offset = committed.get(partition);
			if (offset != null) {
				this.coordinator.restoreCheckpointId(CheckpointMetadata.checkpointId(offset.metadata()));
				consumer.seek(partition, offset.offset());
				this.owned.start(partition, offset.offset());
			}
			else if (this.owned.contains(partition)) {
				// never checkpointed: back to where reading began
				long start = this.owned.startOffset(partition);
				consumer.seek(partition, start);
				this.owned.startWithoutCheckpoint(partition, start);
			}
			// else nothing was read from it yet: it starts where the starting offsets say
		}
		if (this.stops != null) {
			// partitions rolled back before their stop read on
			consumer.resume(consumer.paused());
		}
		this.needsRollback = false;
	}

	/**
	 * Continues checkpoint ids after those found in the offsets of newly assigned
	 * partitions. Best effort: a lookup that does not answer quickly is skipped.
	 * @param consumer the consumer
	 */
	private void restoreCheckpointIds(Consumer<byte[], byte[]> consumer) {
		if (this.newlyAssigned.isEmpty()) {
			return;
		}
		try {
			consumer.committed(Set.copyOf(this.newlyAssigned), CHECKPOINT_ID_LOOKUP_TIMEOUT)
				.values()
				.forEach((offset) -> {
					if (offset != null) {
						this.coordinator.restoreCheckpointId(CheckpointMetadata.checkpointId(offset.metadata()));
					}
				});
		}
		catch (RuntimeException ex) {
			logger.debug("{} could not read the checkpoint ids of {}", this.name, this.newlyAssigned, ex);
		}
		finally {
			this.newlyAssigned.clear();
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
	 * Stops the worker now, without a checkpoint: an open transaction is aborted.
	 */
	void stop() {
		this.running = false;
		synchronized (this.backoffMonitor) {
			this.backoffMonitor.notifyAll();
		}
		Consumer<byte[], byte[]> consumer = this.consumer;
		if (consumer != null) {
			consumer.wakeup();
		}
	}

	private void close() {
		this.commitOnRevocation = false;
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

	private WorkerProducer requireProducer() {
		WorkerProducer producer = this.producer;
		if (producer == null) {
			throw new IllegalStateException("Pipeline '" + this.source.name() + "' has no sink");
		}
		return producer;
	}

	WorkerStatus status() {
		return new WorkerStatus(this.name, this.owned.positions(), this.owned.committedOffsets(),
				this.consecutiveFailures, this.lastFailure, this.dispatcher.skippedRecords(),
				this.dispatcher.deadLettered(), this.dispatcher.skippedOnHandlerError(),
				this.dispatcher.handlerRetries());
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
		public RecordOutput outputFor(ConsumerRecord<byte[], byte[]> record, @Nullable Object key) {
			Worker.this.output.current = record;
			Worker.this.output.currentKey = key;
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
		public void pause(Duration backoff) {
			Worker.this.pause(backoff);
		}

		@Override
		public boolean running() {
			return Worker.this.running;
		}

	}

	/**
	 * Writes what the handler emits for the current record.
	 */
	private final class Output implements RecordOutput {

		@Nullable ConsumerRecord<byte[], byte[]> current;

		@Nullable Object currentKey;

		@Override
		public void emit(@Nullable Object value) {
			SinkWriter writer = Worker.this.sinkWriter;
			ConsumerRecord<byte[], byte[]> input = this.current;
			if (writer == null || input == null) {
				throw new IllegalStateException("Pipeline '" + Worker.this.source.name() + "' has no sink to emit to");
			}
			writer.write(requireProducer().get(), input, this.currentKey, value);
		}

		@Override
		public void emit(String sink, @Nullable Object value) {
			SinkWriter writer = Worker.this.sinkWriters.get(sink);
			ConsumerRecord<byte[], byte[]> input = this.current;
			if (writer == null || input == null) {
				throw new IllegalArgumentException(
						"Pipeline '" + Worker.this.source.name() + "' has no sink '" + sink + "' to emit to");
			}
			writer.write(requireProducer().get(), input, this.currentKey, value);
		}

	}

	/**
	 * Checkpoints partitions before they are revoked and drops lost ones. Runs on the
	 * worker's thread, inside {@code poll}, and makes no blocking call but the commit.
	 */
	private final class RebalanceListener implements ConsumerRebalanceListener {

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			if (partitions.isEmpty()) {
				return;
			}
			if (Worker.this.commitOnRevocation && !Worker.this.needsRollback) {
				try {
					commit(requireConsumer(), Math.max(Worker.this.handledCheckpoint, 0));
				}
				catch (RuntimeException ex) {
					logger.warn("{} could not checkpoint {} before they were revoked; they will be read again"
							+ " from their last checkpoint", Worker.this.name, partitions, ex);
					throwAway();
				}
			}
			Worker.this.owned.remove(partitions);
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			if (Worker.this.commitOnRevocation) {
				logger.warn("{} lost {}; rolling back to the last checkpoint", Worker.this.name, partitions);
				throwAway();
			}
			Worker.this.owned.remove(partitions);
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			if (!partitions.isEmpty()) {
				Worker.this.newlyAssigned.addAll(partitions);
				logger.info("{} assigned {}", Worker.this.name, partitions);
			}
		}

		private void throwAway() {
			if (Worker.this.producer != null) {
				Worker.this.producer.abort();
			}
			Worker.this.needsRollback = true;
		}

	}

}
