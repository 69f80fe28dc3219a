package dev.kafkastream.runtime;

import dev.kafkastream.core.SinkEmitter;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link RecordBatchHandler} sends what it produces. An output record emitted for
 * an input record of the batch keeps that record's key and timestamp, so per-key order
 * survives the pipeline; one emitted for the batch as a whole has no key and the
 * timestamp of the batch's last record. An {@link dev.kafkastream.core.OutputRecord
 * OutputRecord} sets another key, headers, topic or timestamp. As a {@link SinkEmitter}
 * it writes to the pipeline's sinks by name, for the batch as a whole.
 */
public interface BatchOutput extends SinkEmitter {

	/**
	 * Sends a value to the pipeline's default sink for one input record of the batch:
	 * keyed by that record's key and stamped with its timestamp (as the sink's settings
	 * say).
	 * @param index the index of the input record in the batch
	 * @param value the value, as for {@link RecordOutput#emit(Object)}
	 */
	void emit(int index, @Nullable Object value);

	/**
	 * Sends a value to the pipeline's default sink for the batch as a whole: without a
	 * key, unless an {@link dev.kafkastream.core.OutputRecord OutputRecord} sets one.
	 * @param value the value, as for {@link RecordOutput#emit(Object)}
	 */
	void emit(@Nullable Object value);

}
