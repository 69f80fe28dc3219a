package dev.kafkastream.autoconfigure;

import java.util.List;

import dev.kafkastream.runtime.KafkaStreamRuntime;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ExitCodeExceptionMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaStreamExitCodeGenerator}.
 */
class KafkaStreamExitCodeGeneratorTests {

	private static final ExitCodeExceptionMapper AUTHENTICATION = (ex) -> (ex instanceof SaslAuthenticationException)
			? 78 : 0;

	@Test
	void zeroWithoutAFailedSource() {
		KafkaStreamRuntime runtime = KafkaStreamRuntime.builder().build();
		assertThat(new KafkaStreamExitCodeGenerator(() -> runtime, List.of()).getExitCode()).isZero();
	}

	@Test
	void failedCodeForAFailedSource() {
		KafkaStreamExitCodeGenerator generator = new KafkaStreamExitCodeGenerator(KafkaStreamRuntime.builder()::build,
				List.of());
		assertThat(generator.exitCodeOf(new IllegalStateException("boom"))).isEqualTo(3);
		assertThat(generator.exitCodeOf(new OutOfMemoryError())).isEqualTo(KafkaStreamExitCodeGenerator.FAILED);
		assertThat(generator.exitCodeOf(null)).isEqualTo(KafkaStreamExitCodeGenerator.FAILED);
	}

	@Test
	void anExitCodeExceptionMapperMapsTheFailure() {
		KafkaStreamExitCodeGenerator generator = new KafkaStreamExitCodeGenerator(KafkaStreamRuntime.builder()::build,
				List.of((ex) -> 0, AUTHENTICATION, (ex) -> 5));
		assertThat(generator.exitCodeOf(new SaslAuthenticationException("wrong password"))).isEqualTo(78);
		assertThat(generator.exitCodeOf(new IllegalStateException("boom")))
			.as("the first non-zero code of the mappers, in order")
			.isEqualTo(5);
		assertThat(new KafkaStreamExitCodeGenerator(KafkaStreamRuntime.builder()::build, List.of(AUTHENTICATION))
			.exitCodeOf(new IllegalStateException("boom"))).isEqualTo(KafkaStreamExitCodeGenerator.FAILED);
	}

}
