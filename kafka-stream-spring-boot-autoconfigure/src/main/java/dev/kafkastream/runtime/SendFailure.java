package dev.kafkastream.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the first failure of an asynchronous send, with the topic it was for, so that the
 * next write, flush or checkpoint rethrows it: a failed send never slips past a
 * checkpoint, and the failure reported is the send's own, not what the producer says
 * about it later (a transactional producer fails every later call with "an error state"
 * caused by it). Also counts the sends not acknowledged yet, so the worker can wait for
 * them without blocking. After {@link #clear()} (the sends were aborted or their producer
 * discarded), late callbacks of the old sends no longer count.
 */
final class SendFailure {

	/** Sends that failed, counted across {@link #clear()}. */
	private final AtomicLong failed = new AtomicLong();

	private volatile Sends current = new Sends(this.failed);

	/**
	 * Notes a send about to be handed to the producer.
	 * @return the callback to give the producer with it
	 */
	Callback sending() {
		Sends sends = this.current;
		sends.pending.incrementAndGet();
		return sends;
	}

	/**
	 * Notes a dead letter about to be handed to the producer.
	 * @param record the record the dead letter is of
	 * @param written what to do once the dead letter is written
	 * @return the callback to give the producer with it
	 */
	Callback sendingDeadLetter(ConsumerRecord<?, ?> record, Runnable written) {
		Sends sends = this.current;
		sends.pending.incrementAndGet();
		String deadLetterOf = record.topic() + "-" + record.partition() + "@" + record.offset();
		return (metadata, exception) -> {
			if (exception == null) {
				written.run();
			}
			sends.completed(metadata, exception, deadLetterOf);
		};
	}

	/**
	 * The sends handed to the producer and not acknowledged yet.
	 * @return the number of pending sends
	 */
	int pending() {
		return this.current.pending.get();
	}

	/**
	 * Waits until at most {@code threshold} sends are pending or one failed, or the time is
	 * up. The producer's callback wakes the waiting thread as soon as the count gets
	 * there, so the wait is as short as the acknowledgements allow. One thread waits at a
	 * time.
	 * @param threshold the number of pending sends to get down to
	 * @param timeoutNanos how long to wait at most
	 * @return whether at most {@code threshold} sends are pending
	 */
	boolean awaitPendingAtMost(int threshold, long timeoutNanos) {
		Sends sends = this.current;
		long deadline = System.nanoTime() + timeoutNanos;
		sends.waiter = Thread.currentThread();
		sends.wakeAt = threshold;
		try {
			while (sends.pending.get() > threshold && sends.first.get() == null) {
				long left = deadline - System.nanoTime();
				if (left <= 0 || Thread.currentThread().isInterrupted()) {
					break;
				}
				LockSupport.parkNanos(this, left);
			}
		}
		finally {
			sends.wakeAt = -1;
			sends.waiter = null;
		}
		return sends.pending.get() <= threshold;
	}

	void throwIfFailed() {
		Failed failed = this.current.first.get();
		if (failed != null) {
			throw failed.toException();
		}
	}

	/**
	 * The failed send behind a failure, when the failure is the producer's follow-up
	 * error (its cause chain holds the failed send's exception), so the first failure is
	 * reported rather than its consequence.
	 * @param failure a failure of the worker
	 * @return the failed send's failure, or the given one
	 */
	RuntimeException firstFailureBehind(RuntimeException failure) {
		Failed failed = this.current.first.get();
		if (failed == null || failure instanceof FailedSendException) {
			return failure;
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause == failed.exception()) {
				return failed.toException();
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return failure;
	}

	/**
	 * Forgets the failure and the pending sends, after the producer was aborted or
	 * discarded.
	 */
	void clear() {
		this.current = new Sends(this.failed);
	}

	/**
	 * The sends that failed since this was created.
	 * @return the count
	 */
	long failedCount() {
		return this.failed.get();
	}

	/**
	 * The sends since the last {@link #clear()}.
	 */
	private static final class Sends implements Callback {

		final AtomicReference<@Nullable Failed> first = new AtomicReference<>();

		final AtomicInteger pending = new AtomicInteger();

		/** The pending count at or below which {@link #waiter} is woken; -1 if nobody waits. */
		volatile int wakeAt = -1;

		volatile @Nullable Thread waiter;

		private final AtomicLong failed;

		Sends(AtomicLong failed) {
			this.failed = failed;
		}

		@Override
		public void onCompletion(RecordMetadata metadata, @Nullable Exception exception) {
			completed(metadata, exception, null);
		}

		void completed(@Nullable RecordMetadata metadata, @Nullable Exception exception,
				@Nullable String deadLetterOf) {
			int left = this.pending.decrementAndGet();
			if (exception != null) {
				this.failed.incrementAndGet();
				if (this.first.get() == null) {
					// on failure the producer tells the topic, with an unknown partition
					String topic = (metadata != null) ? metadata.topic() : null;
					this.first.compareAndSet(null, new Failed(exception, topic, deadLetterOf));
				}
			}
			if (left <= this.wakeAt || (exception != null && this.wakeAt >= 0)) {
				Thread waiting = this.waiter;
				if (waiting != null) {
					LockSupport.unpark(waiting);
				}
			}
		}

	}

	/**
	 * The first send that failed.
	 * @param exception why
	 * @param topic the topic it was for, if known
	 * @param deadLetterOf the record it was the dead letter of, {@code null} for a sink's
	 * record
	 */
	private record Failed(Exception exception, @Nullable String topic, @Nullable String deadLetterOf) {

		FailedSendException toException() {
			return new FailedSendException(this.exception, this.topic, this.deadLetterOf);
		}

	}

}
