package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.checkpoint.CheckpointParticipant;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.core.KafkaStreamException;
import dev.kafkastream.core.NonRetryableException;
import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.sink.KafkaStreamSink;
import dev.kafkastream.sink.TransactionalIds;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link KafkaStreamSink} of one configured sink: application threads send through a
 * producer of its own, opened on the first send.
 * <p>
 * Under exactly-once the producer is transactional, with the id
 * {@code <prefix>-<instance-id>-sink-<sink>}, and the sink takes part in checkpoints:
 * sends join the open transaction under a shared lock; at each checkpoint the
 * transaction commits under the exclusive lock, so no send races the commit, and only
 * then do the futures of its records complete. A failed commit aborts the transaction
 * (or discards the producer when it cannot abort), fails those futures and declines the
 * checkpoint; the next send begins a new transaction. The final checkpoint commits the
 * last transaction and no send is accepted after it.
 * <p>
 * Under at-least-once futures complete on the broker's acknowledgement, and each
 * checkpoint flushes the producer and declines if a send failed since the last one.
 * Under none futures complete on acknowledgement and the sink takes no part in
 * checkpoints.
 */
final class StandaloneSink implements KafkaStreamSink, CheckpointParticipant {

	private static final Logger logger = LoggerFactory.getLogger(StandaloneSink.class);

	private final KafkaSinkSpec spec;

	private final SinkWriter writer;

	private final CheckpointCoordinator coordinator;

	private final KafkaClients clients;

	private final String clientId;

	private final @Nullable String transactionalId;

	private final boolean participates;

	private final KafkaClientLog producerLog;

	/**
	 * Sends hold it shared, checkpoints and close exclusively.
	 */
	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

	private final FencingDetector fencing = new FencingDetector();

	private volatile @Nullable NonRetryableException fencedOut;

	/**
	 * Guards opening the producer and beginning a transaction, which concurrent sends
	 * holding the shared lock may both attempt.
	 */
	private final Object openLock = new Object();

	private final Queue<TransactionalSend> inTransaction = new ConcurrentLinkedQueue<>();

	private final AtomicReference<@Nullable Exception> firstFailure = new AtomicReference<>();

	/**
	 * Runs checkpoints off the coordinator's thread; one per run, from {@link #start()}
	 * to {@link #close(Duration)}.
	 */
	private volatile @Nullable ExecutorService checkpointExecutor;

	private volatile @Nullable Producer<byte[], byte[]> producer;

	private volatile boolean transactionOpen;

	private volatile boolean running;

	private boolean registered;

	StandaloneSink(KafkaSinkSpec spec, CheckpointCoordinator coordinator, KafkaClients clients, String instanceId) {
		this.spec = spec;
		this.writer = new SinkWriter(spec, 0, new SendFailure());
		this.coordinator = coordinator;
		this.clients = clients;
		this.clientId = "kafka-stream-" + instanceId + "-sink-" + spec.name();
		if (spec.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
			this.transactionalId = TransactionalIds.ofSink(Objects.requireNonNull(spec.transactionalIdPrefix()),
					instanceId, spec.name());
		}
		else {
			this.transactionalId = null;
		}
		this.participates = spec.deliveryGuarantee() != DeliveryGuarantee.NONE;
		this.producerLog = KafkaClientLog.producer("sink '" + spec.name() + "' producer for application sends");
	}

	@Override
	public String name() {
		return this.spec.name();
	}

	@Override
	public DeliveryGuarantee deliveryGuarantee() {
		return this.spec.deliveryGuarantee();
	}

	@Nullable String transactionalId() {
		return this.transactionalId;
	}

	/**
	 * Accepts sends, also again after {@link #close(Duration)}: the first send opens a new
	 * producer, which takes part in checkpoints again.
	 */
	void start() {
		Lock exclusive = this.lock.writeLock();
		exclusive.lock();
		try {
			if (this.running) {
				return;
			}
			this.fencedOut = null;
			this.firstFailure.set(null);
			this.checkpointExecutor = Executors.newSingleThreadExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "kafka-stream-sink-" + name());
				thread.setDaemon(true);
				return thread;
			});
			this.running = true;
		}
		finally {
			exclusive.unlock();
		}
	}

	@Override
	public CompletableFuture<RecordMetadata> send(@Nullable Object value) {
		return doSend(value);
	}

	@Override
	public CompletableFuture<RecordMetadata> send(OutputRecord<?, ?> record) {
		return doSend(Objects.requireNonNull(record, "record"));
	}

	private CompletableFuture<RecordMetadata> doSend(@Nullable Object emitted) {
		Lock shared = this.lock.readLock();
		shared.lock();
		try {
			if (!this.running) {
				throw new IllegalStateException("Sink '" + name() + "' is not running: the kafka-stream runtime is "
						+ "not started or already stopped");
			}
			NonRetryableException fenced = this.fencedOut;
			if (fenced != null) {
				throw fenced;
			}
			Producer<byte[], byte[]> producer = producer();
			ProducerRecord<byte[], byte[]> record = this.writer.standaloneRecord(producer, emitted);
			if (this.transactionalId != null) {
				beginTransactionIfNeeded(producer);
				TransactionalSend send = new TransactionalSend(producer.send(record));
				this.inTransaction.add(send);
				return send.result;
			}
			CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
			producer.send(record, (metadata, ex) -> {
				if (ex != null) {
					this.firstFailure.compareAndSet(null, ex);
					result.completeExceptionally(ex);
				}
				else {
					result.complete(metadata);
				}
			});
			return result;
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		finally {
			shared.unlock();
		}
	}

	private Producer<byte[], byte[]> producer() {
		Producer<byte[], byte[]> producer = this.producer;
		if (producer != null) {
			return producer;
		}
		synchronized (this.openLock) {
			producer = this.producer;
			if (producer == null) {
				Map<String, Object> config = this.spec.producerConfig(this.clientId, this.transactionalId);
				producer = this.clients.createProducer(config);
				this.producerLog.created(config);
				if (this.transactionalId != null) {
					try {
						// aborts whatever an earlier incarnation of this instance left open
						producer.initTransactions();
					}
					catch (RuntimeException ex) {
						closeQuietly(producer);
						throw ex;
					}
				}
				this.producer = producer;
				if (this.participates && !this.registered) {
					this.coordinator.register(this);
					this.registered = true;
				}
			}
			return producer;
		}
	}

	private void beginTransactionIfNeeded(Producer<byte[], byte[]> producer) {
		if (!this.transactionOpen) {
			synchronized (this.openLock) {
				if (!this.transactionOpen) {
					producer.beginTransaction();
					this.transactionOpen = true;
				}
			}
		}
	}

	@Override
	public void checkpointRequested(long checkpointId, boolean finalCheckpoint) {
		ExecutorService executor = this.checkpointExecutor;
		try {
			if (executor == null) {
				throw new RejectedExecutionException("Sink '" + name() + "' is closed");
			}
			executor.execute(() -> checkpoint(checkpointId, finalCheckpoint));
		}
		catch (RejectedExecutionException ex) {
			this.coordinator.decline(checkpointId, this, ex);
		}
	}

	private void checkpoint(long checkpointId, boolean finalCheckpoint) {
		List<TransactionalSend> sends = new ArrayList<>();
		Exception failure;
		Lock exclusive = this.lock.writeLock();
		exclusive.lock();
		try {
			if (finalCheckpoint) {
				this.running = false;
			}
			drainInto(sends);
			Producer<byte[], byte[]> producer = this.producer;
			if (producer == null) {
				failure = null;
			}
			else if (this.transactionalId != null) {
				failure = commit(producer);
			}
			else {
				failure = flush(producer);
			}
		}
		finally {
			exclusive.unlock();
		}
		// completed outside the lock: code chained on the futures may send again
		for (TransactionalSend send : sends) {
			send.complete(failure);
		}
		if (failure == null) {
			this.coordinator.acknowledge(checkpointId, this, Map.of());
		}
		else {
			logger.warn("Sink '{}' could not complete checkpoint {}", name(), checkpointId, failure);
			this.coordinator.decline(checkpointId, this, failure);
		}
	}

	private void drainInto(List<TransactionalSend> sends) {
		TransactionalSend send;
		while ((send = this.inTransaction.poll()) != null) {
			sends.add(send);
		}
	}

	private @Nullable Exception commit(Producer<byte[], byte[]> producer) {
		if (!this.transactionOpen) {
			return null;
		}
		try {
			producer.commitTransaction();
			this.transactionOpen = false;
			return null;
		}
		catch (RuntimeException ex) {
			abortOrDiscard(producer);
			if (this.fencing.fencedTooOften(ex, System.nanoTime())) {
				this.fencedOut = new NonRetryableException("The producer of sink '" + name() + "' was fenced "
						+ FencingDetector.MAX_FENCINGS + " times within " + FencingDetector.WINDOW
						+ ": another producer keeps using its transactional id " + this.transactionalId
						+ ". Is a second instance running with the same kafka-stream.instance-id? Give every"
						+ " instance its own instance id.", ex);
				logger.error(this.fencedOut.getMessage());
			}
			return ex;
		}
	}

	private void abortOrDiscard(Producer<byte[], byte[]> producer) {
		try {
			producer.abortTransaction();
			this.transactionOpen = false;
		}
		catch (RuntimeException ex) {
			// fenced, or a commit that timed out: a new producer settles the transaction
			logger.warn("Sink '{}' could not abort its transaction, discarding its producer: {}", name(),
					ex.toString());
			discard(producer);
		}
	}

	private void discard(Producer<byte[], byte[]> producer) {
		this.producer = null;
		this.transactionOpen = false;
		closeQuietly(producer);
	}

	private @Nullable Exception flush(Producer<byte[], byte[]> producer) {
		try {
			producer.flush();
		}
		catch (RuntimeException ex) {
			return ex;
		}
		return this.firstFailure.getAndSet(null);
	}

	/**
	 * Stops accepting sends and closes the producer, aborting a transaction still open:
	 * called after the final checkpoint, which committed it. The sink takes no part in
	 * checkpoints until it is started again.
	 * @param timeout how long to wait for the producer to close
	 */
	void close(Duration timeout) {
		List<TransactionalSend> sends = new ArrayList<>();
		Producer<byte[], byte[]> producer;
		ExecutorService executor;
		Lock exclusive = this.lock.writeLock();
		exclusive.lock();
		try {
			this.running = false;
			drainInto(sends);
			synchronized (this.openLock) {
				producer = this.producer;
				this.producer = null;
				this.transactionOpen = false;
				this.registered = false;
			}
			executor = this.checkpointExecutor;
			this.checkpointExecutor = null;
		}
		finally {
			exclusive.unlock();
		}
		IllegalStateException stopped = new IllegalStateException(
				"Sink '" + name() + "' stopped before the transaction of the record committed");
		sends.forEach((send) -> send.result.completeExceptionally(stopped));
		if (producer != null) {
			try {
				producer.close(timeout);
			}
			catch (RuntimeException ex) {
				logger.warn("Sink '{}' could not close its producer: {}", name(), ex.toString());
			}
		}
		if (executor != null) {
			executor.shutdownNow();
		}
		this.coordinator.unregister(this);
	}

	private void closeQuietly(Producer<byte[], byte[]> producer) {
		try {
			producer.close(Duration.ZERO);
		}
		catch (RuntimeException ex) {
			logger.debug("Sink '{}' could not close a producer", name(), ex);
		}
	}

	@Override
	public String toString() {
		return "StandaloneSink[" + name() + "]";
	}

	/**
	 * A record sent in the open transaction, whose future completes when it commits.
	 */
	private static final class TransactionalSend {

		private final Future<RecordMetadata> ack;

		private final CompletableFuture<RecordMetadata> result = new CompletableFuture<>();

		TransactionalSend(Future<RecordMetadata> ack) {
			this.ack = ack;
		}

		void complete(@Nullable Exception commitFailure) {
			if (commitFailure != null) {
				this.result.completeExceptionally(
						new KafkaStreamException("The transaction of the record did not commit; it was aborted or"
								+ " its outcome is unknown: " + commitFailure, commitFailure));
				return;
			}
			try {
				// done: the commit waited for every send of the transaction
				this.result.complete(this.ack.get());
			}
			catch (ExecutionException ex) {
				this.result.completeExceptionally(ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.result.completeExceptionally(ex);
			}
		}

	}

}
