package dev.kafkastream.runtime;

import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the first failure of an asynchronous send so that the next write, flush or
 * checkpoint rethrows it: a failed send never slips past a checkpoint.
 */
final class SendFailure implements Callback {

	private final AtomicReference<@Nullable Exception> first = new AtomicReference<>();

	@Override
	public void onCompletion(RecordMetadata metadata, @Nullable Exception exception) {
		if (exception != null) {
			this.first.compareAndSet(null, exception);
		}
	}

	void throwIfFailed() {
		Exception failure = this.first.get();
		if (failure != null) {
			throw new SinkWriteException("A record could not be written: " + failure.getMessage(), failure);
		}
	}

	void clear() {
		this.first.set(null);
	}

}
