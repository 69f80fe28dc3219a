package dev.kafkastream.runtime;

import org.jspecify.annotations.Nullable;

/**
 * Where a {@link RecordHandler} sends what it produces. The key of an output record is
 * the key of the input record, so per-key order survives the pipeline, unless the
 * handler emits an {@link dev.kafkastream.core.OutputRecord OutputRecord} that sets
 * another.
 */
public interface RecordOutput {

	/**
	 * Sends a value to the pipeline's default sink, keyed by the input record's key and
	 * stamped with its timestamp (as the sink's settings say).
	 * @param value the value, serialised by the sink; {@code null} writes a tombstone; an
	 * {@link dev.kafkastream.core.OutputRecord OutputRecord} sets the key, headers, topic
	 * or timestamp of the record too
	 */
	void emit(@Nullable Object value);

}
