package dev.kafkastream.runtime;

import dev.kafkastream.core.SinkEmitter;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link RecordHandler} sends what it produces. The key of an output record is
 * the key of the input record, so per-key order survives the pipeline, unless the
 * handler emits an {@link dev.kafkastream.core.OutputRecord OutputRecord} that sets
 * another. As a {@link SinkEmitter} it writes to the pipeline's other sinks by name.
 */
public interface RecordOutput extends SinkEmitter {

	/**
	 * Sends a value to the pipeline's default sink, keyed by the input record's key and
	 * stamped with its timestamp (as the sink's settings say).
	 * @param value the value, serialised by the sink; {@code null} writes a tombstone; an
	 * {@link dev.kafkastream.core.OutputRecord OutputRecord} sets the key, headers, topic
	 * or timestamp of the record too
	 */
	void emit(@Nullable Object value);

	/**
	 * Sends a value to a sink of the pipeline: its default sink or one of its additional
	 * sinks. The default implementation knows no sink by name and throws, as suits an
	 * output that only has a default sink.
	 * @param sink the name of the sink
	 * @param value the value, as for {@link #emit(Object)}
	 * @throws IllegalArgumentException if the pipeline has no sink of that name
	 */
	@Override
	default void emit(String sink, @Nullable Object value) {
		throw new IllegalArgumentException("No sink '" + sink + "' to emit to");
	}

}
