package dev.kafkastream.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Holds what the handler emits for one record until it returned normally, so that an
 * attempt that throws after emitting leaves nothing behind and a retry does not write its
 * output twice. One per worker, reused for every record. Each {@link RecordOutput} method
 * is recorded as a call to replay on the worker's real output.
 */
final class BufferedOutput implements RecordOutput {

	private final List<Consumer<RecordOutput>> emitted = new ArrayList<>();

	@Override
	public void emit(@Nullable Object value) {
		this.emitted.add((output) -> output.emit(value));
	}

	/**
	 * Hands everything emitted since the last {@link #clear()} to the given output, in
	 * order, and clears the buffer.
	 * @param output the output to write to
	 */
	void writeTo(RecordOutput output) {
		try {
			for (Consumer<RecordOutput> emission : this.emitted) {
				emission.accept(output);
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
		this.emitted.clear();
	}

}
