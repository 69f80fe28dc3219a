package dev.kafkastream.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of one worker. It is created on first use, so a broker that is not there
 * yet is retried like any other failure, and discarded when it cannot be trusted any
 * more; a transactional one is initialised on creation, which aborts whatever a previous
 * producer with the same transactional id left open. A worker that starts can have its
 * first producer {@linkplain #prepare() prepared} on a thread of its own while its consumer
 * joins the group; first use then waits for it, and gets the failure it met, if any.
 */
final class WorkerProducer {

	private static final Logger logger = LoggerFactory.getLogger(WorkerProducer.class);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private final KafkaClients clients;

	private final Map<String, Object> config;

	private final boolean transactional;

	private final String name;

	private final KafkaClientLog log;

	private @Nullable Producer<byte[], byte[]> producer;

	/** The first producer while it is created on a thread of its own. */
	private @Nullable CompletableFuture<Producer<byte[], byte[]>> prepared;

	private boolean transactionOpen;

	/** When the open transaction began, in epoch milliseconds; {@code -1} without one. */
	private volatile long transactionStart = -1;

	private volatile boolean retired;

	WorkerProducer(KafkaClients clients, Map<String, Object> config, boolean transactional, String name,
			String role) {
		this.clients = clients;
		this.config = config;
		this.transactional = transactional;
		this.name = name;
		this.log = KafkaClientLog.producer(role);
	}

	/**
	 * The configuration the producer is created with.
	 * @return the configuration
	 */
	Map<String, Object> config() {
		return this.config;
	}

	/**
	 * Starts creating (and initialising) the producer on a thread of its own, so that it
	 * is ready, or nearly, when it is first used. Does nothing once a producer exists.
	 */
	void prepare() {
		if (this.producer != null || this.prepared != null) {
			return;
		}
		this.prepared = CompletableFuture.supplyAsync(this::create, (task) -> {
			Thread thread = new Thread(task, this.name + "-producer-start");
			thread.setDaemon(true);
			thread.start();
		});
	}

	Producer<byte[], byte[]> get() {
		Producer<byte[], byte[]> producer = this.producer;
		if (producer == null) {
			CompletableFuture<Producer<byte[], byte[]>> prepared = this.prepared;
			this.prepared = null;
			producer = (prepared != null) ? await(prepared) : create();
			this.producer = producer;
		}
		return producer;
	}

	private Producer<byte[], byte[]> create() {
		requireNotRetired();
		Producer<byte[], byte[]> producer = this.clients.createProducer(this.config);
		this.log.created(this.config);
		if (this.transactional) {
			try {
				requireNotRetired();
				producer.initTransactions();
			}
			catch (AuthenticationException | AuthorizationException ex) {
				// the sink's client is refused: say so, the worker fails naming the sink
				close(producer, Duration.ZERO);
				throw new SinkWriteException(this.name + " could not initialise its producer", ex);
			}
			catch (RuntimeException ex) {
				close(producer, Duration.ZERO);
				throw ex;
			}
		}
		return producer;
	}

	private static Producer<byte[], byte[]> await(CompletableFuture<Producer<byte[], byte[]>> prepared) {
		try {
			return prepared.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			closeWhenReady(prepared);
			throw new WakeupException();
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() instanceof CompletionException completion) ? completion.getCause()
					: ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(cause);
		}
	}

	private static void closeWhenReady(CompletableFuture<Producer<byte[], byte[]>> prepared) {
		prepared.thenAccept((producer) -> {
			try {
				producer.close(Duration.ZERO);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not close a prepared producer", ex);
			}
		});
	}

	/**
	 * Creates and initialises no producer from now on, for a worker that stops: its
	 * {@code initTransactions()} would fence whoever uses its transactional id now.
	 * Safe to call from any thread.
	 */
	void retire() {
		this.retired = true;
	}

	private void requireNotRetired() {
		if (this.retired) {
			throw new WakeupException();
		}
	}

	boolean transactionOpen() {
		return this.transactionOpen;
	}

	/**
	 * When the open transaction began; safe to call from any thread.
	 * @return the time, {@code null} without an open transaction
	 */
	@Nullable Instant transactionStart() {
		long start = this.transactionStart;
		return (start >= 0) ? Instant.ofEpochMilli(start) : null;
	}

	void beginTransactionIfNeeded() {
		if (this.transactional && !this.transactionOpen) {
			get().beginTransaction();
			this.transactionOpen = true;
			this.transactionStart = System.currentTimeMillis();
		}
	}

	/**
	 * Commits the open transaction together with the consumed offsets.
	 * @param offsets the offsets, possibly empty
	 * @param groupMetadata the consumer's group metadata, which fences zombies
	 */
	void commitTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
		Producer<byte[], byte[]> producer = get();
		if (!offsets.isEmpty()) {
			producer.sendOffsetsToTransaction(offsets, groupMetadata);
		}
		producer.commitTransaction();
		this.transactionOpen = false;
		this.transactionStart = -1;
	}

	void flush() {
		if (this.producer != null) {
			this.producer.flush();
		}
	}

	/**
	 * Throws away what was sent since the last checkpoint: aborts the open transaction, or
	 * discards a producer that is not transactional or cannot abort. Never throws.
	 * @return why the open transaction could not be aborted, {@code null} when it was or
	 * there was none
	 */
	@Nullable RuntimeException abort() {
		if (this.producer == null) {
			return null;
		}
		RuntimeException abortFailure = null;
		if (this.transactional && this.transactionOpen) {
			try {
				this.producer.abortTransaction();
				this.transactionOpen = false;
				this.transactionStart = -1;
				return null;
			}
			catch (RuntimeException ex) {
				logger.info("{} re-creates its producer: the transaction could not be aborted ({})", this.name,
						ex.toString());
				abortFailure = ex;
			}
		}
		else if (this.transactional) {
			return null;
		}
		discard();
		return abortFailure;
	}

	private void discard() {
		Producer<byte[], byte[]> producer = this.producer;
		this.producer = null;
		this.transactionOpen = false;
		this.transactionStart = -1;
		if (producer != null) {
			close(producer, Duration.ZERO);
		}
	}

	/**
	 * Closes the producer, aborting an open transaction.
	 */
	void close() {
		CompletableFuture<Producer<byte[], byte[]>> prepared = this.prepared;
		this.prepared = null;
		if (prepared != null) {
			// never used: closed once created (a retired one stops before it initialises)
			closeWhenReady(prepared);
		}
		Producer<byte[], byte[]> producer = this.producer;
		if (producer == null) {
			return;
		}
		if (this.transactionOpen) {
			try {
				producer.abortTransaction();
			}
			catch (RuntimeException ex) {
				logger.debug("{} could not abort its transaction on close", this.name, ex);
			}
		}
		this.producer = null;
		this.transactionOpen = false;
		this.transactionStart = -1;
		close(producer, CLOSE_TIMEOUT);
	}

	private void close(Producer<byte[], byte[]> producer, Duration timeout) {
		try {
			producer.close(timeout);
		}
		catch (RuntimeException ex) {
			logger.debug("{} could not close its producer", this.name, ex);
		}
	}

}
