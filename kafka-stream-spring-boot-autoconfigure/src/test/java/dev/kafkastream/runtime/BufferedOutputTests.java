package dev.kafkastream.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link BufferedOutput}: what a handler emits, to its default sink and to other
 * sinks by name, is replayed in order once, and only once the handler returned.
 */
class BufferedOutputTests {

	private final BufferedOutput buffer = new BufferedOutput("in", Set.of("out", "a", "b"));

	private final List<String> written = new ArrayList<>();

	private final RecordOutput output = new RecordOutput() {

		@Override
		public void emit(@Nullable Object value) {
			BufferedOutputTests.this.written.add("default:" + value);
		}

		@Override
		public void emit(String sink, @Nullable Object value) {
			BufferedOutputTests.this.written.add(sink + ":" + value);
		}

	};

	@Test
	void replaysEmissionsToEverySinkInOrderThenClears() {
		this.buffer.emit("a", 1);
		this.buffer.emit(2);
		this.buffer.emit("b", null);
		assertThat(this.written).isEmpty();
		this.buffer.writeTo(this.output);
		assertThat(this.written).containsExactly("a:1", "default:2", "b:null");
		this.buffer.writeTo(this.output);
		assertThat(this.written).hasSize(3);
	}

	@Test
	void clearedEmissionsOfAFailedAttemptAreNeverWritten() {
		this.buffer.emit("a", "first attempt");
		this.buffer.clear();
		this.buffer.emit("a", "second attempt");
		this.buffer.writeTo(this.output);
		assertThat(this.written).containsExactly("a:second attempt");
	}

	@Test
	void emittingToAnUnknownSinkFailsInTheHandlersCall() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.buffer.emit("c", 1))
			.withMessageStartingWith("Pipeline 'in' has no sink 'c'; it writes to [a, b, out]");
		this.buffer.writeTo(this.output);
		assertThat(this.written).isEmpty();
	}

}
