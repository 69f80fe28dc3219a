package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointMetadata;
import dev.kafkastream.checkpoint.CheckpointParticipant;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.sink.TransactionalIds;
import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
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
 * On a failure it aborts, seeks every partition back to its checkpoint, backs off and goes
 * on.
 */
final class Worker implements Runnable, CheckpointParticipant {

	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private final Pipeline pipeline;

	private final int index;

	private final String name;

	private final KafkaSourceSpec source;

	private final RecordHandler handler;

	private final @Nullable SinkWriter sinkWriter;

	private final DeliveryGuarantee guarantee;

	private final CheckpointCoordinator coordinator;

	private final KafkaClients clients;

	private final RecoverySettings recovery;

	private final String instanceId;

	private final OwnedPartitions owned = new OwnedPartitions();

	private final SendFailure sendFailure = new SendFailure();

	private final Output output = new Output();

	private final Object backoffMonitor = new Object();

	private volatile long requestedCheckpoint = -1;

	private volatile boolean running = true;

	private volatile long finalCheckpoint = Long.MAX_VALUE;

	private volatile @Nullable String lastFailure;

	private long handledCheckpoint = -1;

	private int consecutiveFailures;

	private @Nullable Consumer<byte[], byte[]> consumer;

	private @Nullable Producer<byte[], byte[]> producer;

	private boolean transactionOpen;

	private boolean commitOnRevocation = true;

	Worker(Pipeline pipeline, int index, CheckpointCoordinator coordinator, KafkaClients clients,
			RecoverySettings recovery, String instanceId) {
		PipelineSpec spec = pipeline.spec();
		this.pipeline = pipeline;
		this.index = index;
		this.name = "kafka-stream-" + spec.name() + "-" + index;
		this.source = spec.source();
		this.handler = spec.handler();
		KafkaSinkSpec sink = spec.sink();
		this.sinkWriter = (sink != null) ? new SinkWriter(sink, this.sendFailure) : null;
		this.guarantee = spec.deliveryGuarantee();
		this.coordinator = coordinator;
		this.clients = clients;
		this.recovery = recovery;
		this.instanceId = instanceId;
	}

	String name() {
		return this.name;
	}

	@Override
	public void run() {
		try {
			this.consumer = this.clients.createConsumer(this.source.consumerConfig(this.name));
			this.coordinator.register(this);
			this.consumer.subscribe(this.source.topics(), new RebalanceListener());
			loop(this.consumer);
		}
		catch (RuntimeException ex) {
			logger.error("{} could not start", this.name, ex);
			this.pipeline.workerFailed(this, ex);
		}
		finally {
			this.coordinator.unregister(this);
			close();
		}
	}

	private void loop(Consumer<byte[], byte[]> consumer) {
		Duration pollTimeout = this.source.pollTimeout();
		while (this.running) {
			try {
				if (this.producer == null && this.sinkWriter != null) {
					// created here so that a broker that is not there yet is retried like any failure
					this.producer = createProducer();
				}
				ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
				if (!records.isEmpty()) {
					process(records);
				}
				checkpointIfRequested();
			}
			catch (WakeupException ex) {
				// stop requested
			}
			catch (RuntimeException ex) {
				recover(ex);
			}
		}
	}

	private void process(ConsumerRecords<byte[], byte[]> records) {
		beginTransactionIfNeeded();
		for (TopicPartition partition : records.partitions()) {
			List<ConsumerRecord<byte[], byte[]>> partitionRecords = records.records(partition);
			for (ConsumerRecord<byte[], byte[]> record : partitionRecords) {
				dispatch(record);
			}
			this.owned.advance(partition, partitionRecords.get(partitionRecords.size() - 1).offset() + 1);
		}
		this.sendFailure.throwIfFailed();
	}

	@SuppressWarnings("unchecked")
	private void dispatch(ConsumerRecord<byte[], byte[]> raw) {
		Object key;
		Object value;
		try {
			Deserializer<Object> keyDeserializer = (Deserializer<Object>) this.source.keyDeserializer();
			Deserializer<Object> valueDeserializer = (Deserializer<Object>) this.source.valueDeserializer();
			key = (raw.key() != null) ? keyDeserializer.deserialize(raw.topic(), raw.headers(), raw.key()) : null;
			value = (raw.value() != null) ? valueDeserializer.deserialize(raw.topic(), raw.headers(), raw.value())
					: null;
		}
		catch (RuntimeException ex) {
			throw new RecordProcessingException("Could not deserialize the record at " + position(raw) + ": " + ex, ex);
		}
		ConsumerRecord<Object, Object> record = new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(),
				raw.timestamp(), raw.timestampType(), raw.serializedKeySize(), raw.serializedValueSize(), key, value,
				raw.headers(), raw.leaderEpoch());
		this.output.current = raw;
		try {
			this.handler.handle(record, this.output);
		}
		catch (Exception ex) {
			throw new RecordProcessingException("The handler failed on the record at " + position(raw) + ": " + ex, ex);
		}
	}

	private static String position(ConsumerRecord<?, ?> record) {
		return record.topic() + "-" + record.partition() + "@" + record.offset();
	}

	private void beginTransactionIfNeeded() {
		if (this.guarantee == DeliveryGuarantee.EXACTLY_ONCE && !this.transactionOpen) {
			requireProducer().beginTransaction();
			this.transactionOpen = true;
		}
	}

	@Override
	public void checkpointRequested(long checkpointId, boolean finalCheckpoint) {
		if (finalCheckpoint) {
			this.finalCheckpoint = checkpointId;
		}
		this.requestedCheckpoint = checkpointId;
	}

	private void checkpointIfRequested() {
		long checkpointId = this.requestedCheckpoint;
		if (checkpointId <= this.handledCheckpoint) {
			return;
		}
		this.handledCheckpoint = checkpointId;
		boolean progressed;
		try {
			progressed = commit(checkpointId);
		}
		catch (RuntimeException ex) {
			this.coordinator.decline(checkpointId, this, ex);
			throw ex;
		}
		if (progressed) {
			this.consecutiveFailures = 0;
			this.lastFailure = null;
		}
		this.coordinator.acknowledge(checkpointId, this, this.owned.committedOffsets());
		if (checkpointId >= this.finalCheckpoint) {
			this.running = false;
		}
	}

	/**
	 * Commits everything processed so far, as the delivery guarantee requires.
	 * @param checkpointId the id written in the offsets' metadata
	 * @return whether any partition moved forward
	 */
	private boolean commit(long checkpointId) {
		Consumer<byte[], byte[]> consumer = requireConsumer();
		Map<TopicPartition, OffsetAndMetadata> offsets = this.owned.uncommitted(checkpointId);
		switch (this.guarantee) {
			case EXACTLY_ONCE -> {
				if (!this.transactionOpen) {
					// nothing was processed since the last commit
					return false;
				}
				Producer<byte[], byte[]> producer = requireProducer();
				if (!offsets.isEmpty()) {
					producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
				}
				producer.commitTransaction();
				this.transactionOpen = false;
			}
			case AT_LEAST_ONCE -> {
				if (this.producer != null) {
					this.producer.flush();
				}
				this.sendFailure.throwIfFailed();
				if (!offsets.isEmpty()) {
					consumer.commitSync(offsets);
				}
			}
			case NONE -> {
				this.sendFailure.throwIfFailed();
				if (!offsets.isEmpty()) {
					consumer.commitSync(offsets);
				}
			}
		}
		this.owned.markCommitted(offsets);
		return !offsets.isEmpty();
	}

	/**
	 * Rolls back to the last checkpoint: aborts the open transaction (re-creating the
	 * producer when it cannot be reused), seeks every owned partition to its committed
	 * offset as the broker knows it, and backs off.
	 * @param failure what went wrong
	 */
	private void recover(RuntimeException failure) {
		this.consecutiveFailures++;
		this.lastFailure = failure.toString();
		if (!this.running) {
			return;
		}
		if (this.consecutiveFailures >= this.recovery.maxAttempts()) {
			logger.error("{} failed {} times in a row; the pipeline fails", this.name, this.consecutiveFailures,
					failure);
			this.pipeline.workerFailed(this, failure);
			return;
		}
		Duration backoff = this.recovery.backoff(this.consecutiveFailures);
		logger.warn("{} failed ({} of {} failures in a row); rolling back to the last checkpoint and retrying in {}",
				this.name, this.consecutiveFailures, this.recovery.maxAttempts(), backoff, failure);
		try {
			rollback();
		}
		catch (RuntimeException ex) {
			logger.warn("{} could not roll back; will retry", this.name, ex);
		}
		pause(backoff);
	}

	private void rollback() {
		abortTransaction();
		this.sendFailure.clear();
		Consumer<byte[], byte[]> consumer = requireConsumer();
		Set<TopicPartition> assignment = consumer.assignment();
		Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment);
		for (TopicPartition partition : assignment) {
			OffsetAndMetadata offset = committed.get(partition);
			long target = (offset != null) ? offset.offset() : this.owned.committed(partition);
			if (target >= 0) {
				consumer.seek(partition, target);
				this.owned.rewind(partition, target);
			}
		}
	}

	private void abortTransaction() {
		if (this.producer == null) {
			return;
		}
		if (this.guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
			try {
				if (this.transactionOpen) {
					this.producer.abortTransaction();
				}
			}
			catch (RuntimeException ex) {
				logger.info("{} re-creates its producer: the transaction could not be aborted ({})", this.name,
						ex.toString());
				recreateProducer();
			}
			finally {
				this.transactionOpen = false;
			}
		}
		else if (this.guarantee == DeliveryGuarantee.AT_LEAST_ONCE || this.guarantee == DeliveryGuarantee.NONE) {
			try {
				this.producer.flush();
			}
			catch (RuntimeException ex) {
				recreateProducer();
			}
		}
	}

	/**
	 * Closes a producer that cannot be used any more; the loop creates a new one.
	 */
	private void recreateProducer() {
		Producer<byte[], byte[]> previous = this.producer;
		this.producer = null;
		if (previous != null) {
			closeQuietly(previous);
		}
	}

	private Producer<byte[], byte[]> createProducer() {
		KafkaSinkSpec sink = requireSinkWriter().sink();
		String transactionalId = null;
		if (this.guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
			transactionalId = TransactionalIds.of(requireNonNull(sink.transactionalIdPrefix()), this.instanceId,
					this.source.name(), this.index);
		}
		Producer<byte[], byte[]> producer = this.clients
			.createProducer(sink.producerConfig(this.name + "-producer", transactionalId));
		if (transactionalId != null) {
			try {
				producer.initTransactions();
			}
			catch (RuntimeException ex) {
				closeQuietly(producer);
				throw ex;
			}
		}
		return producer;
	}

	private static String requireNonNull(@Nullable String value) {
		if (value == null) {
			throw new IllegalStateException("Missing transactional id prefix");
		}
		return value;
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
			if (this.transactionOpen) {
				try {
					this.producer.abortTransaction();
				}
				catch (RuntimeException ex) {
					logger.debug("{} could not abort its transaction on close", this.name, ex);
				}
			}
			closeQuietly(this.producer);
		}
		if (this.consumer != null) {
			closeQuietly(this.consumer);
		}
		this.owned.clear();
	}

	private void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			logger.debug("{} could not close a client", this.name, ex);
		}
	}

	private Consumer<byte[], byte[]> requireConsumer() {
		Consumer<byte[], byte[]> consumer = this.consumer;
		if (consumer == null) {
			throw new IllegalStateException(this.name + " has no consumer");
		}
		return consumer;
	}

	private SinkWriter requireSinkWriter() {
		SinkWriter writer = this.sinkWriter;
		if (writer == null) {
			throw new IllegalStateException("Pipeline '" + this.source.name() + "' has no sink");
		}
		return writer;
	}

	private Producer<byte[], byte[]> requireProducer() {
		Producer<byte[], byte[]> producer = this.producer;
		if (producer == null) {
			throw new IllegalStateException(this.name + " has no producer");
		}
		return producer;
	}

	WorkerStatus status() {
		return new WorkerStatus(this.name, this.owned.positions(), this.owned.committedOffsets(),
				this.consecutiveFailures, this.lastFailure);
	}

	@Override
	public String toString() {
		return this.name;
	}

	/**
	 * Writes what the handler emits for the current record.
	 */
	private final class Output implements RecordOutput {

		@Nullable ConsumerRecord<byte[], byte[]> current;

		@Override
		public void emit(@Nullable Object value) {
			SinkWriter writer = Worker.this.sinkWriter;
			ConsumerRecord<byte[], byte[]> input = this.current;
			if (writer == null || input == null) {
				throw new IllegalStateException("Pipeline '" + Worker.this.source.name() + "' has no sink to emit to");
			}
			writer.write(requireProducer(), input.key(), value, input.timestamp());
		}

	}

	/**
	 * Checkpoints partitions before they are revoked and positions assigned partitions.
	 * Runs on the worker's thread, inside {@code poll}.
	 */
	private final class RebalanceListener implements ConsumerRebalanceListener {

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			if (partitions.isEmpty() || !Worker.this.commitOnRevocation) {
				Worker.this.owned.remove(partitions);
				return;
			}
			try {
				commit(Math.max(Worker.this.handledCheckpoint, 0));
			}
			catch (RuntimeException ex) {
				logger.warn("{} could not checkpoint partitions {} before revocation; they will be reprocessed",
						Worker.this.name, partitions, ex);
				abortTransaction();
				Worker.this.owned.remove(partitions);
				rollback();
				return;
			}
			Worker.this.owned.remove(partitions);
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			logger.warn("{} lost partitions {}; rolling back to the last checkpoint", Worker.this.name, partitions);
			abortTransaction();
			Worker.this.owned.remove(partitions);
			rollback();
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			if (partitions.isEmpty()) {
				return;
			}
			Consumer<byte[], byte[]> consumer = requireConsumer();
			Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
			for (TopicPartition partition : partitions) {
				OffsetAndMetadata offset = committed.get(partition);
				if (offset != null) {
					Worker.this.coordinator.restoreCheckpointId(CheckpointMetadata.checkpointId(offset.metadata()));
				}
				Worker.this.owned.assign(partition, consumer.position(partition));
			}
			logger.info("{} assigned {}", Worker.this.name, partitions);
		}

	}

}
