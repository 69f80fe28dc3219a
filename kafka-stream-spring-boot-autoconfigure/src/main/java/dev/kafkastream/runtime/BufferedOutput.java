package dev.kafkastream.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Holds what the handler emits for one record until it returned normally, so that an
 * attempt that throws after emitting leaves nothing behind and a retry does not write its
 * output twice. One per worker, reused for every record. Each {@link RecordOutput} method
 * is recorded as a call to replay on the worker's real output. An emission to a sink the
 * pipeline does not have fails at once, in the handler's call, rather than on replay.
 */
final class BufferedOutput implements RecordOutput {

	/**
	 * The sink of each emission, {@code null} for the default sink; kept beside
	 * {@link #values} so buffering allocates nothing per record.
	 */
	private final List<@Nullable String> sinkNames = new ArrayList<>();

	private final List<@Nullable Object> values = new ArrayList<>();

	private final Set<String> sinks;

	private final String pipeline;

	/**
	 * Creates a buffer.
	 * @param pipeline the name of the pipeline, for error messages
	 * @param sinks the names of the sinks {@link #emit(String, Object)} may write to
	 */
	BufferedOutput(String pipeline, Set<String> sinks) {
		this.pipeline = pipeline;
		this.sinks = Set.copyOf(sinks);
	}

	@Override
	public void emit(@Nullable Object value) {
		this.sinkNames.add(null);
		this.values.add(value);
	}

	@Override
	public void emit(String sink, @Nullable Object value) {
		if (!this.sinks.contains(sink)) {
			throw new IllegalArgumentException("Pipeline '" + this.pipeline + "' has no sink '" + sink + "'; it writes to "
					+ this.sinks.stream().sorted().toList()
					+ ": name the sink in @KafkaStreamHandler(sinks = ...) and configure it under kafka-stream.sinks");
		}
		this.sinkNames.add(sink);
		this.values.add(value);
	}

	/**
	 * Hands everything emitted since the last {@link #clear()} to the given output, in
	 * order, and clears the buffer.
	 * @param output the output to write to
	 */
	void writeTo(RecordOutput output) {
		try {
			for (int i = 0; i < this.values.size(); i++) {
				String sink = this.sinkNames.get(i);
				if (sink == null) {
					output.emit(this.values.get(i));
				}
				else {
					output.emit(sink, this.values.get(i));
				}
			}
		}
		finally {
			clear();
		}
	}

	/**
	 * Throws away what was emitted.
	 */
	void clear() {
		this.sinkNames.clear();
		this.values.clear();
	}

}
