package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.kafkastream.source.HandlerRetry;
import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one record of a worker through its source's rules: deserialises it (a corrupt
 * record fails, is skipped or goes to the dead-letter topic), hands it to the handler
 * (retried in place with a growing backoff, then failed, skipped or dead-lettered), and
 * writes what the handler emitted only once it returned normally.
 */
final class RecordDispatcher {

	// logs under the worker's category, as these are the worker's events
	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private final String name;

	private final KafkaSourceSpec source;

	private final Deserializer<Object> keyDeserializer;

	private final Deserializer<Object> valueDeserializer;

	private final RecordHandler handler;

	private final @Nullable HandlerObserver observer;

	/**
	 * The last observed call of the handler: set by every call when there is an
	 * observer, so it is the call whose output, or dead letter, is being written.
	 */
	private HandlerObserver.@Nullable Call call;

	private final BufferedOutput emissions;

	private final @Nullable DeadLetterWriter deadLetters;

	private final Host host;

	private final AtomicLong skippedRecords = new AtomicLong();

	private final AtomicLong deadLettered = new AtomicLong();

	private final AtomicLong skippedOnHandlerError = new AtomicLong();

	private final AtomicLong handlerRetries = new AtomicLong();

	private final AtomicLong deserializationErrors = new AtomicLong();

	// counted on the worker's thread without synchronisation, published by publish()

	private long recordsIn;

	private long bytesIn;

	private long handlerCalls;

	private long handlerNanos;

	private volatile WorkerStatus.RecordCounts published = new WorkerStatus.RecordCounts(0, 0, 0, 0, 0, 0, 0, 0, 0);

	@SuppressWarnings("unchecked")
	RecordDispatcher(String name, KafkaSourceSpec source, RecordHandler handler, @Nullable HandlerObserver observer,
			BufferedOutput emissions, @Nullable DeadLetterWriter deadLetters, Host host) {
		this.name = name;
		this.source = source;
		this.keyDeserializer = (Deserializer<Object>) source.keyDeserializer();
		this.valueDeserializer = (Deserializer<Object>) source.valueDeserializer();
		this.handler = handler;
		this.observer = observer;
		this.emissions = emissions;
		this.deadLetters = deadLetters;
		this.host = host;
	}

	/**
	 * Deserialises a record, hands it to the handler and writes what it emitted.
	 * @param raw the record as read
	 */
	void dispatch(ConsumerRecord<byte[], byte[]> raw) {
		this.recordsIn++;
		this.bytesIn += Math.max(0, raw.serializedKeySize()) + Math.max(0, raw.serializedValueSize());
		Object key;
		Object value;
		try {
			key = (raw.key() != null) ? this.keyDeserializer.deserialize(raw.topic(), raw.headers(), raw.key()) : null;
		}
		catch (RuntimeException ex) {
			handleCorruptRecord(raw, "key", ex);
			return;
		}
		try {
			value = (raw.value() != null)
					? this.valueDeserializer.deserialize(raw.topic(), raw.headers(), raw.value()) : null;
		}
		catch (RuntimeException ex) {
			handleCorruptRecord(raw, "value", ex);
			return;
		}
		ConsumerRecord<Object, Object> record = deserialised(raw, key, value);
		if (handle(raw, record)) {
			try {
				this.emissions.writeTo(this.host.outputFor(raw, key, this.call));
			}
			catch (RuntimeException ex) {
				throw new RecordProcessingException("The handler's output could not be written for the record",
						partition(raw), raw.offset(), ex);
			}
		}
	}

	/**
	 * The record the handler sees: the one read, when both deserialisers handed its bytes
	 * on unchanged (a handler on {@code byte[]}), otherwise a copy holding the deserialised
	 * key and value.
	 */
	@SuppressWarnings("unchecked")
	private static ConsumerRecord<Object, Object> deserialised(ConsumerRecord<byte[], byte[]> raw, @Nullable Object key,
			@Nullable Object value) {
		if (key == raw.key() && value == raw.value()) {
			return (ConsumerRecord<Object, Object>) (ConsumerRecord<?, ?>) raw;
		}
		return new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(), raw.timestampType(),
				raw.serializedKeySize(), raw.serializedValueSize(), key, value, raw.headers(), raw.leaderEpoch());
	}

	/**
	 * Calls the handler on a record until it returns normally, retrying in place: on this
	 * thread, without rolling back or aborting the transaction, after a growing backoff
	 * during which the worker keeps taking checkpoints.
	 * What an attempt emits is kept in {@link #emissions} and thrown away when it throws.
	 * An {@link Error} is not retried. Once the attempts are used up the source's
	 * {@link dev.kafkastream.source.HandlerErrorPolicy} applies.
	 * @param raw the record as read
	 * @param record the deserialised record
	 * @return whether the handler returned normally, so what it emitted is to be written
	 */
	private boolean handle(ConsumerRecord<byte[], byte[]> raw, ConsumerRecord<Object, Object> record) {
		HandlerRetry retry = this.source.handlerRetry();
		for (int attempt = 1;; attempt++) {
			this.emissions.clear();
			try {
				long start = System.nanoTime();
				try {
					callHandler(record);
				}
				finally {
					this.handlerCalls++;
					this.handlerNanos += System.nanoTime() - start;
				}
				return true;
			}
			catch (Exception ex) {
				this.emissions.clear();
				if (attempt >= retry.maxAttempts()) {
					onHandlerError(raw, ex, attempt);
					return false;
				}
				Duration backoff = retry.backoff(attempt);
				logger.warn("{} retries the record at {}@{} in {} (attempt {} of {} failed): {}", this.name,
						partition(raw), raw.offset(), backoff, attempt, retry.maxAttempts(), ex.toString());
				this.handlerRetries.incrementAndGet();
				this.host.awaitRetry(raw, backoff);
			}
		}
	}

	/**
	 * Calls the handler once, told to the observer when there is one.
	 * @param record the deserialised record
	 * @throws Exception what the handler threw
	 */
	private void callHandler(ConsumerRecord<Object, Object> record) throws Exception {
		HandlerObserver observer = this.observer;
		if (observer == null) {
			this.handler.handle(record, this.emissions);
			return;
		}
		HandlerObserver.Call call = observer.start(record);
		this.call = call;
		try {
			this.handler.handle(record, this.emissions);
		}
		catch (Throwable ex) {
			call.failed(ex);
			throw ex;
		}
		call.succeeded();
	}

	private void onHandlerError(ConsumerRecord<byte[], byte[]> raw, Exception cause, int attempts) {
		TopicPartition partition = partition(raw);
		switch (this.source.handlerErrorPolicy()) {
			case FAIL -> throw new RecordProcessingException("The handler failed on the record", partition,
					raw.offset(), cause);
			case SKIP -> {
				this.skippedOnHandlerError.incrementAndGet();
				logger.warn("{} skipped the record at {}@{}: the handler failed on it {} times, last with {}",
						this.name, partition, raw.offset(), attempts, Causes.describe(cause), cause);
			}
			case DEAD_LETTER -> {
				String topic = this.source.deadLetterTopic(raw.topic());
				requireDeadLetters().write(this.host.deadLetterProducer(), topic, raw, cause, false, this.call,
						() -> logger.warn(
								"{} sent the record at {}@{} to {}: the handler failed on it {} times, last with {}",
								this.name, partition, raw.offset(), topic, attempts, Causes.describe(cause), cause));
				this.deadLettered.incrementAndGet();
			}
		}
	}

	private void handleCorruptRecord(ConsumerRecord<byte[], byte[]> raw, String part, RuntimeException cause) {
		this.deserializationErrors.incrementAndGet();
		TopicPartition partition = partition(raw);
		switch (this.source.deserializationErrorPolicy()) {
			case FAIL -> {
				// everything before the record is kept: the checkpoint stops right at it
				this.host.keepUpTo(partition, raw.offset());
				throw new CorruptRecordException(part, partition, raw.offset(), cause);
			}
			case SKIP -> {
				this.skippedRecords.incrementAndGet();
				logger.warn("{} skipped the record at {}@{}, whose {} could not be deserialized: {}", this.name,
						partition, raw.offset(), part, Causes.describe(cause));
			}
			case DEAD_LETTER -> {
				String topic = this.source.deadLetterTopic(raw.topic());
				requireDeadLetters().write(this.host.deadLetterProducer(), topic, raw, cause, "key".equals(part), null,
						() -> logger.warn("{} sent the record at {}@{} to {}, its {} could not be deserialized: {}",
								this.name, partition, raw.offset(), topic, part, Causes.describe(cause)));
				this.deadLettered.incrementAndGet();
			}
		}
	}

	private static TopicPartition partition(ConsumerRecord<?, ?> record) {
		return new TopicPartition(record.topic(), record.partition());
	}

	private DeadLetterWriter requireDeadLetters() {
		DeadLetterWriter deadLetters = this.deadLetters;
		if (deadLetters == null) {
			throw new IllegalStateException(this.name + " does not write dead letters");
		}
		return deadLetters;
	}

	/**
	 * Makes the counts so far visible to {@link #counts()}. Called by the worker's thread
	 * at the end of each batch.
	 */
	void publish() {
		this.published = new WorkerStatus.RecordCounts(this.recordsIn, this.bytesIn, this.deserializationErrors.get(),
				this.skippedRecords.get(), this.deadLettered.get(), this.skippedOnHandlerError.get(),
				this.handlerRetries.get(), this.handlerCalls, this.handlerNanos);
	}

	/**
	 * The counts as of the last {@link #publish()}.
	 * @return the counts
	 */
	WorkerStatus.RecordCounts counts() {
		return this.published;
	}

	/**
	 * What the dispatcher needs of its worker.
	 */
	interface Host {

		/**
		 * Where what the handler emitted for a record goes.
		 * @param record the record as read
		 * @param key its deserialised key
		 * @param call the observed call of the handler that emitted it, or {@code null}
		 * @return the output
		 */
		RecordOutput outputFor(ConsumerRecord<byte[], byte[]> record, @Nullable Object key,
				HandlerObserver.@Nullable Call call);

		/**
		 * The producer dead letters are written with, in the open transaction under
		 * exactly-once.
		 * @return the producer
		 */
		Producer<byte[], byte[]> deadLetterProducer();

		/**
		 * Keeps the records of a partition before an offset: the next checkpoint commits up
		 * to it.
		 * @param partition the partition
		 * @param offset the first offset not kept
		 */
		void keepUpTo(TopicPartition partition, long offset);

		/**
		 * Waits before a record is retried; the records before it are handled.
		 * @param record the record to retry
		 * @param backoff how long to wait
		 * @throws RetryAbandonedException when the record is not to be retried any more
		 */
		void awaitRetry(ConsumerRecord<byte[], byte[]> record, Duration backoff);

	}

	/**
	 * Thrown while a record waits to be retried when it is not to be retried any more: its
	 * partition was revoked, a rollback is pending, or the worker stops. The record is
	 * not handled; it is read again from the checkpoint.
	 */
	static final class RetryAbandonedException extends RuntimeException {

		RetryAbandonedException() {
			super("The retry of the record was abandoned", null, false, false);
		}

	}

}
