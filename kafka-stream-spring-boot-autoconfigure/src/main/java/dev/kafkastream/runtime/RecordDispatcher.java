package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import dev.kafkastream.core.BatchRecordFailedException;
import dev.kafkastream.source.HandlerRetry;
import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one record of a worker through its source's rules: deserialises it (a corrupt
 * record fails, is skipped or goes to the dead-letter topic), hands it to the handler
 * (retried in place with a growing backoff, then failed, skipped or dead-lettered), and
 * writes what the handler emitted only once it returned normally. A batch handler is
 * handed the records of a partition together, see {@link #dispatchBatch(List)}.
 */
final class RecordDispatcher {

	// logs under the worker's category, as these are the worker's events
	private static final Logger logger = LoggerFactory.getLogger(Worker.class);

	private final String name;

	private final KafkaSourceSpec source;

	private final Deserializer<Object> keyDeserializer;

	private final Deserializer<Object> valueDeserializer;

	private final @Nullable RecordHandler handler;

	private final @Nullable RecordBatchHandler batchHandler;

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
	RecordDispatcher(String name, KafkaSourceSpec source, @Nullable RecordHandler handler,
			@Nullable RecordBatchHandler batchHandler, @Nullable HandlerObserver observer, BufferedOutput emissions,
			@Nullable DeadLetterWriter deadLetters, Host host) {
		this.name = name;
		this.source = source;
		this.keyDeserializer = (Deserializer<Object>) source.keyDeserializer();
		this.valueDeserializer = (Deserializer<Object>) source.valueDeserializer();
		this.handler = handler;
		this.batchHandler = batchHandler;
		this.observer = observer;
		this.emissions = emissions;
		this.deadLetters = deadLetters;
		this.host = host;
	}

	/**
	 * Whether the handler takes records in batches, through {@link #dispatchBatch(List)}.
	 * @return whether the handler is a batch handler
	 */
	boolean batches() {
		return this.batchHandler != null;
	}

	/**
	 * Deserialises a record, hands it to the handler and writes what it emitted.
	 * @param raw the record as read
	 */
	void dispatch(ConsumerRecord<byte[], byte[]> raw) {
		ConsumerRecord<Object, Object> record = deserialise(raw, null, null);
		if (record == null) {
			return;
		}
		Object key = record.key();
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
	 * Counts a record in and deserialises it; a record that cannot be deserialised goes to
	 * the source's deserialisation error policy.
	 * @param raw the record as read
	 * @param batchRaws the records of the batch before it, as read, or {@code null} for a
	 * record handled alone
	 * @param batch the same, deserialised
	 * @return the deserialised record, or {@code null} when it was skipped or dead-lettered
	 */
	private @Nullable ConsumerRecord<Object, Object> deserialise(ConsumerRecord<byte[], byte[]> raw,
			@Nullable List<ConsumerRecord<byte[], byte[]>> batchRaws,
			@Nullable List<ConsumerRecord<Object, Object>> batch) {
		this.recordsIn++;
		this.bytesIn += Math.max(0, raw.serializedKeySize()) + Math.max(0, raw.serializedValueSize());
		Object key;
		Object value;
		try {
			key = (raw.key() != null) ? this.keyDeserializer.deserialize(raw.topic(), raw.headers(), raw.key()) : null;
		}
		catch (RuntimeException ex) {
			handleCorruptRecord(raw, "key", ex, batchRaws, batch);
			return null;
		}
		try {
			value = (raw.value() != null)
					? this.valueDeserializer.deserialize(raw.topic(), raw.headers(), raw.value()) : null;
		}
		catch (RuntimeException ex) {
			handleCorruptRecord(raw, "value", ex, batchRaws, batch);
			return null;
		}
		return deserialised(raw, key, value);
	}

	/**
	 * Deserialises the records of a partition, hands them to the batch handler together
	 * and writes what it emitted. A record that cannot be deserialised goes to the
	 * deserialisation error policy before the batch is built; under {@code fail} the
	 * records before it are handled first, so that everything before it is kept.
	 * @param raws the records of one partition as read, in offset order
	 */
	void dispatchBatch(List<ConsumerRecord<byte[], byte[]>> raws) {
		List<ConsumerRecord<byte[], byte[]>> handled = new ArrayList<>(raws.size());
		List<ConsumerRecord<Object, Object>> records = new ArrayList<>(raws.size());
		for (ConsumerRecord<byte[], byte[]> raw : raws) {
			ConsumerRecord<Object, Object> record = deserialise(raw, handled, records);
			if (record != null) {
				handled.add(raw);
				records.add(record);
			}
		}
		handleBatch(handled, records, 1);
	}

	/**
	 * Calls the batch handler on records until it returns normally, as {@link #handle}
	 * does for one record. When it names a failed record with a
	 * {@link BatchRecordFailedException}, the records before it are handled again as a
	 * batch of their own, the failed record alone goes on with its retries and then the
	 * error policy, and the records after it are handled again as another batch. When it
	 * names none, the whole batch is retried, and once the attempts are used up each of
	 * its records goes to the policy.
	 * @param raws the records as read
	 * @param records the deserialised records
	 * @param firstAttempt the number of the first attempt, above 1 for a record that failed
	 * in a batch already
	 */
	private void handleBatch(List<ConsumerRecord<byte[], byte[]>> raws, List<ConsumerRecord<Object, Object>> records,
			int firstAttempt) {
		int size = records.size();
		if (size == 0) {
			return;
		}
		HandlerRetry retry = this.source.handlerRetry();
		for (int attempt = firstAttempt;; attempt++) {
			this.emissions.clear();
			try {
				long start = System.nanoTime();
				try {
					callBatchHandler(records);
				}
				finally {
					this.handlerCalls++;
					this.handlerNanos += System.nanoTime() - start;
				}
			}
			catch (Exception ex) {
				this.emissions.clear();
				int failed = (ex instanceof BatchRecordFailedException named && size > 1 && named.index() >= 0
						&& named.index() < size) ? named.index() : -1;
				Exception cause = (ex instanceof BatchRecordFailedException && ex.getCause() instanceof Exception named)
						? named : ex;
				if (failed >= 0) {
					handleBatch(raws.subList(0, failed), records.subList(0, failed), 1);
					handleFailedRecord(raws.subList(failed, failed + 1), records.subList(failed, failed + 1), attempt,
							cause);
					handleBatch(raws.subList(failed + 1, size), records.subList(failed + 1, size), 1);
					return;
				}
				if (attempt >= retry.maxAttempts()) {
					for (ConsumerRecord<byte[], byte[]> raw : raws) {
						// the stack trace is logged once, with the batch's first record
						onHandlerError(raw, cause, attempt, raw == raws.get(0));
					}
					return;
				}
				awaitRetry(raws.get(0), retry, attempt, cause);
				continue;
			}
			writeBatch(raws, records);
			return;
		}
	}

	/**
	 * Goes on with a record that failed in a batch: retried alone once attempts are left,
	 * else handed to the error policy.
	 */
	private void handleFailedRecord(List<ConsumerRecord<byte[], byte[]>> raw,
			List<ConsumerRecord<Object, Object>> record, int failedAttempt, Exception cause) {
		HandlerRetry retry = this.source.handlerRetry();
		if (failedAttempt >= retry.maxAttempts()) {
			onHandlerError(raw.get(0), cause, failedAttempt, true);
			return;
		}
		awaitRetry(raw.get(0), retry, failedAttempt, cause);
		handleBatch(raw, record, failedAttempt + 1);
	}

	private void awaitRetry(ConsumerRecord<byte[], byte[]> raw, HandlerRetry retry, int attempt, Exception cause) {
		Duration backoff = retry.backoff(attempt);
		logger.warn("{} retries the record at {}@{} in {} (attempt {} of {} failed): {}", this.name, partition(raw),
				raw.offset(), backoff, attempt, retry.maxAttempts(), cause.toString());
		this.handlerRetries.incrementAndGet();
		this.host.awaitRetry(raw, backoff);
	}

	/**
	 * Writes what the batch handler emitted: what it emitted for an input record as that
	 * record's output, and what it emitted for the batch as a whole as the output of a
	 * record without key or headers at the position and timestamp of the batch's last
	 * record.
	 */
	private void writeBatch(List<ConsumerRecord<byte[], byte[]>> raws, List<ConsumerRecord<Object, Object>> records) {
		ConsumerRecord<byte[], byte[]> last = raws.get(raws.size() - 1);
		try {
			this.emissions.writeTo(new BatchOutputs(raws, records));
		}
		catch (RuntimeException ex) {
			throw new RecordProcessingException(
					"The handler's output could not be written for the batch ending at the record", partition(last),
					last.offset(), ex);
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
					onHandlerError(raw, ex, attempt, true);
					return false;
				}
				awaitRetry(raw, retry, attempt, ex);
			}
		}
	}

	/**
	 * Calls the handler once, told to the observer when there is one.
	 * @param record the deserialised record
	 * @throws Exception what the handler threw
	 */
	private void callHandler(ConsumerRecord<Object, Object> record) throws Exception {
		callHandler(record, null);
	}

	/**
	 * Calls the batch handler once, told to the observer when there is one as a call on
	 * the batch's first record.
	 * @param records the deserialised records
	 * @throws Exception what the handler threw
	 */
	private void callBatchHandler(List<ConsumerRecord<Object, Object>> records) throws Exception {
		callHandler(records.get(0), records);
	}

	private void callHandler(ConsumerRecord<Object, Object> record,
			@Nullable List<ConsumerRecord<Object, Object>> batch) throws Exception {
		HandlerObserver observer = this.observer;
		if (observer == null) {
			invokeHandler(record, batch);
			return;
		}
		HandlerObserver.Call call = observer.start(record);
		this.call = call;
		try {
			invokeHandler(record, batch);
		}
		catch (Throwable ex) {
			call.failed(ex);
			throw ex;
		}
		call.succeeded();
	}

	private void invokeHandler(ConsumerRecord<Object, Object> record,
			@Nullable List<ConsumerRecord<Object, Object>> batch) throws Exception {
		// the pipeline has exactly one of the two handlers, and only a batch one is given batches
		if (batch == null) {
			Objects.requireNonNull(this.handler).handle(record, this.emissions);
		}
		else {
			Objects.requireNonNull(this.batchHandler).handle(batch, this.emissions);
		}
	}

	private void onHandlerError(ConsumerRecord<byte[], byte[]> raw, Exception cause, int attempts,
			boolean logStackTrace) {
		TopicPartition partition = partition(raw);
		@Nullable Exception logged = logStackTrace ? cause : null;
		switch (this.source.handlerErrorPolicy()) {
			case FAIL -> throw new RecordProcessingException("The handler failed on the record", partition,
					raw.offset(), cause);
			case SKIP -> {
				this.skippedOnHandlerError.incrementAndGet();
				logger.warn("{} skipped the record at {}@{}: the handler failed on it {} times, last with {}",
						this.name, partition, raw.offset(), attempts, Causes.describe(cause), logged);
			}
			case DEAD_LETTER -> {
				String topic = this.source.deadLetterTopic(raw.topic());
				requireDeadLetters().write(this.host.deadLetterProducer(), topic, raw, cause, false, this.call,
						() -> logger.warn(
								"{} sent the record at {}@{} to {}: the handler failed on it {} times, last with {}",
								this.name, partition, raw.offset(), topic, attempts, Causes.describe(cause), logged));
				this.deadLettered.incrementAndGet();
			}
		}
	}

	private void handleCorruptRecord(ConsumerRecord<byte[], byte[]> raw, String part, RuntimeException cause,
			@Nullable List<ConsumerRecord<byte[], byte[]>> batchRaws,
			@Nullable List<ConsumerRecord<Object, Object>> batch) {
		this.deserializationErrors.incrementAndGet();
		TopicPartition partition = partition(raw);
		switch (this.source.deserializationErrorPolicy()) {
			case FAIL -> {
				if (batchRaws != null && batch != null) {
					// the records of the batch before it are handled and written first
					handleBatch(batchRaws, batch, 1);
				}
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
	 * The output of each input record of a batch by its index, and of the batch as a
	 * whole: that of a record without key or headers at the position and timestamp of the
	 * batch's last record, made once the batch emits such a record.
	 */
	private final class BatchOutputs implements IntFunction<RecordOutput> {

		private final List<ConsumerRecord<byte[], byte[]>> raws;

		private final List<ConsumerRecord<Object, Object>> records;

		private @Nullable ConsumerRecord<byte[], byte[]> withoutKey;

		BatchOutputs(List<ConsumerRecord<byte[], byte[]>> raws, List<ConsumerRecord<Object, Object>> records) {
			this.raws = raws;
			this.records = records;
		}

		@Override
		public RecordOutput apply(int index) {
			if (index != BufferedOutput.NO_INDEX) {
				return RecordDispatcher.this.host.outputFor(this.raws.get(index), this.records.get(index).key(),
						RecordDispatcher.this.call);
			}
			ConsumerRecord<byte[], byte[]> withoutKey = this.withoutKey;
			if (withoutKey == null) {
				ConsumerRecord<byte[], byte[]> last = this.raws.get(this.raws.size() - 1);
				withoutKey = new ConsumerRecord<>(last.topic(), last.partition(), last.offset(), last.timestamp(),
						last.timestampType(), -1, -1, null, null, new RecordHeaders(), last.leaderEpoch());
				this.withoutKey = withoutKey;
			}
			return RecordDispatcher.this.host.outputFor(withoutKey, null, RecordDispatcher.this.call);
		}

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
