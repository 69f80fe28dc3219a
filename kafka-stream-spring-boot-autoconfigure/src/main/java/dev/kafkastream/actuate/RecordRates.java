package dev.kafkastream.actuate;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Records per second of each source, from the counts the endpoint reads: each read keeps
 * a sample (at most one a second), and the rate is taken over the samples of about the
 * last minute. The workers pay nothing for it.
 */
final class RecordRates {

	private static final long MIN_SPAN = Duration.ofSeconds(1).toNanos();

	private static final long WINDOW = Duration.ofMinutes(1).toNanos();

	private final Map<String, Deque<Sample>> samples = new HashMap<>();

	/**
	 * Takes a sample of a source's count and gives its rate.
	 * @param source the source
	 * @param count the records it read so far
	 * @param now the time, in {@link System#nanoTime()}
	 * @return records per second over the samples of about the last minute, {@code null}
	 * until two samples a second apart were taken
	 */
	synchronized @Nullable Double perSecond(String source, long count, long now) {
		Deque<Sample> samples = this.samples.computeIfAbsent(source, (name) -> new ArrayDeque<>());
		Sample newest = samples.peekLast();
		if (newest != null && count < newest.count) {
			// a new run counts from zero
			samples.clear();
			newest = null;
		}
		if (newest == null || now - newest.time >= MIN_SPAN) {
			samples.addLast(new Sample(now, count));
		}
		while (samples.size() > 2 && now - secondOldest(samples).time >= WINDOW) {
			samples.removeFirst();
		}
		Sample oldest = samples.getFirst();
		long span = now - oldest.time;
		if (span < MIN_SPAN) {
			return null;
		}
		return Math.round((count - oldest.count) * 10.0 * 1_000_000_000 / span) / 10.0;
	}

	private static Sample secondOldest(Deque<Sample> samples) {
		var iterator = samples.iterator();
		iterator.next();
		return iterator.next();
	}

	private record Sample(long time, long count) {

	}

}
