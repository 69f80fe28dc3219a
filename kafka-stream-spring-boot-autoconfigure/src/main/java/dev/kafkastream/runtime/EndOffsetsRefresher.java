package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Looks up the end offsets of every active pipeline's partitions on a thread of its own,
 * every interval, so that lag is known without anyone waiting on the broker for it.
 */
final class EndOffsetsRefresher {

	/** Longest time one pipeline's lookup may take. */
	private static final Duration MAX_LOOKUP_TIMEOUT = Duration.ofSeconds(5);

	private final List<Pipeline> pipelines;

	private final Duration interval;

	private final Duration timeout;

	/** How old end offsets may grow before they are stale: three intervals. */
	private final Duration maxAge;

	private @Nullable ScheduledExecutorService executor;

	EndOffsetsRefresher(List<Pipeline> pipelines, Duration interval) {
		this.pipelines = pipelines;
		this.interval = interval;
		this.timeout = (interval.compareTo(MAX_LOOKUP_TIMEOUT) < 0) ? interval : MAX_LOOKUP_TIMEOUT;
		this.maxAge = interval.multipliedBy(3);
	}

	synchronized void start() {
		if (this.executor != null || this.interval.isZero() || this.pipelines.isEmpty()) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "kafka-stream-end-offsets");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::refresh, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	private void refresh() {
		for (Pipeline pipeline : this.pipelines) {
			if (pipeline.state().isActive()) {
				pipeline.refreshEndOffsets(this.timeout, this.maxAge);
			}
		}
	}

	/**
	 * Stops looking up, waits for a lookup under way to end, and closes the admin clients.
	 */
	synchronized void stop() {
		ScheduledExecutorService executor = this.executor;
		this.executor = null;
		if (executor == null) {
			return;
		}
		executor.shutdownNow();
		try {
			executor.awaitTermination(this.timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.pipelines.forEach(Pipeline::closeEndOffsets);
	}

}
