package dev.kafkastream.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

/**
 * Holds what the handler emits for one record until it returned normally, so that an
 * attempt that throws after emitting leaves nothing behind and a retry does not write its
 * output twice. One per worker, reused for every record or batch. Each {@link RecordOutput}
 * or {@link BatchOutput} method is recorded as a call to replay on the worker's real
 * output. An emission to a sink the
 * pipeline does not have fails at once, in the handler's call, rather than on replay.
 */
final class BufferedOutput implements RecordOutput, BatchOutput {

	/**
	 * The index of an emission's input record in a batch when there is none: the
	 * emission is for the current record, or for the batch as a whole.
	 */
	static final int NO_INDEX = -1;

	/**
	 * The sink of each emission, {@code null} for the default sink; kept beside
	 * {@link #values} so buffering allocates nothing per record.
	 */
	private final List<@Nullable String> sinkNames = new ArrayList<>();

	private final List<@Nullable Object> values = new ArrayList<>();

	/**
	 * The index in its batch of the input record of each emission, {@link #NO_INDEX} for
	 * none; an array, so that buffering allocates nothing per record.
	 */
	private int[] indices = new int[16];

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
		add(NO_INDEX, null, value);
	}

	@Override
	public void emit(int index, @Nullable Object value) {
		add(index, null, value);
	}

	@Override
	public void emit(String sink, @Nullable Object value) {
		if (!this.sinks.contains(sink)) {
			throw new IllegalArgumentException("Pipeline '" + this.pipeline + "' has no sink '" + sink + "'; it writes to "
					+ this.sinks.stream().sorted().toList()
					+ ": name the sink in @KafkaStreamHandler(sinks = ...) and configure it under kafka-stream.sinks");
		}
		add(NO_INDEX, sink, value);
	}

	private void add(int index, @Nullable String sink, @Nullable Object value) {
		int position = this.values.size();
		if (position == this.indices.length) {
			this.indices = Arrays.copyOf(this.indices, position * 2);
		}
		this.indices[position] = index;
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
				write(output, i);
			}
		}
		finally {
			clear();
		}
	}

	/**
	 * Hands everything emitted for a batch since the last {@link #clear()} to the outputs
	 * of its input records, in order, and clears the buffer.
	 * @param outputs the output of each input record by its index in the batch, and of
	 * the batch as a whole for {@link #NO_INDEX}
	 */
	void writeTo(IntFunction<RecordOutput> outputs) {
		try {
			for (int i = 0; i < this.values.size(); i++) {
				write(outputs.apply(this.indices[i]), i);
			}
		}
		finally {
			clear();
		}
	}

	private void write(RecordOutput output, int i) {
		String sink = this.sinkNames.get(i);
		if (sink == null) {
			output.emit(this.values.get(i));
		}
		else {
			output.emit(sink, this.values.get(i));
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
