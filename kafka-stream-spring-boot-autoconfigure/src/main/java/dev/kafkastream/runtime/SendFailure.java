package dev.kafkastream.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the first failure of an asynchronous send so that the next write, flush or
 * checkpoint rethrows it: a failed send never slips past a checkpoint. Also counts the
 * sends not acknowledged yet, so the worker can wait for them without blocking. After
 * {@link #clear()} (the sends were aborted or their producer discarded), late callbacks
 * of the old sends no longer count.
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
		Exception failure = this.current.first.get();
		if (failure != null) {
			throw new SinkWriteException("A record could not be written: " + failure.getMessage(), failure);
		}
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

		final AtomicReference<@Nullable Exception> first = new AtomicReference<>();

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
			int left = this.pending.decrementAndGet();
			if (exception != null) {
				this.failed.incrementAndGet();
				this.first.compareAndSet(null, exception);
			}
			if (left <= this.wakeAt || (exception != null && this.wakeAt >= 0)) {
				Thread waiting = this.waiter;
				if (waiting != null) {
					LockSupport.unpark(waiting);
				}
			}
		}

	}

}
