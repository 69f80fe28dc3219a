package dev.kafkastream.runtime;

import java.io.IOException;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Causes}: a failure described with its causes, so a parser's error under
 * a deserialiser's wrapper reaches the log line.
 */
class CausesTests {

	@Test
	void describesTheWholeChainOnOneLine() {
		IOException parse = new IOException("Unexpected end-of-input: expected close marker for Object\n"
				+ " at [Source: REDACTED; line: 1, column: 12]");
		SerializationException wrapper = new SerializationException("Can't deserialize data  from topic [payments]",
				parse);
		assertThat(Causes.describe(wrapper)).isEqualTo("SerializationException: Can't deserialize data  from topic"
				+ " [payments]; caused by IOException: Unexpected end-of-input: expected close marker for Object at"
				+ " [Source: REDACTED; line: 1, column: 12]");
	}

	@Test
	void leavesOutACauseWhoseMessageTheWrapperRepeats() {
		IllegalStateException cause = new IllegalStateException("poison record");
		RuntimeException wrapper = new RuntimeException(cause);
		assertThat(wrapper.getMessage()).isEqualTo("java.lang.IllegalStateException: poison record");
		assertThat(Causes.describe(wrapper))
			.isEqualTo("RuntimeException: java.lang.IllegalStateException: poison record");
	}

	@Test
	void rootIsTheLastCause() {
		IOException parse = new IOException("bad");
		assertThat(Causes.root(new SerializationException("wrapped", new RuntimeException(parse)))).isSameAs(parse);
		assertThat(Causes.root(parse)).isSameAs(parse);
	}

}
