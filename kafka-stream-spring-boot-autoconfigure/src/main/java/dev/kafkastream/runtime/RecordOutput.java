package dev.kafkastream.runtime;

import org.jspecify.annotations.Nullable;

/**
 * Where a {@link RecordHandler} sends what it produces. The key of an output record is
 * the key of the input record, so per-key order survives the pipeline.
 */
public interface RecordOutput {

	/**
	 * Sends a value to the pipeline's default sink, keyed by the input record's key and
	 * stamped with its timestamp.
	 * @param value the value, serialised by the sink; {@code null} writes a tombstone
	 */
	void emit(@Nullable Object value);

}
