package dev.kafkastream.autoconfigure;

import java.util.List;
import java.util.function.Supplier;

import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ExitCodeExceptionMapper;
import org.springframework.boot.ExitCodeGenerator;

/**
 * The exit code of a kafka-stream application, taken into account by
 * {@link org.springframework.boot.SpringApplication#exit SpringApplication.exit}:
 * {@value #FAILED} once a source failed, {@code 0} otherwise (every source finished, or
 * none failed). An {@link ExitCodeExceptionMapper} bean that maps the failure of the
 * source to a non-zero code gives that code instead.
 */
public final class KafkaStreamExitCodeGenerator implements ExitCodeGenerator {

	/**
	 * The exit code of an application with a failed source: neither Spring Boot's 1 for
	 * a failed start nor the 128 + signal of a killed JVM, so that a script or a
	 * Kubernetes Job's {@code podFailurePolicy} can tell a failed pipeline from both.
	 */
	public static final int FAILED = 3;

	private final Supplier<KafkaStreamRuntime> runtime;

	private final List<ExitCodeExceptionMapper> mappers;

	KafkaStreamExitCodeGenerator(Supplier<KafkaStreamRuntime> runtime, List<ExitCodeExceptionMapper> mappers) {
		this.runtime = runtime;
		this.mappers = List.copyOf(mappers);
	}

	@Override
	public int getExitCode() {
		for (Pipeline pipeline : this.runtime.get().pipelines()) {
			if (pipeline.state() == PipelineState.FAILED) {
				return exitCodeOf(pipeline.failureCause());
			}
		}
		return 0;
	}

	/**
	 * The exit code of an application whose source failed.
	 * @param failure what made the source fail, {@code null} when unknown
	 * @return the first non-zero code an {@link ExitCodeExceptionMapper} gives, otherwise
	 * {@link #FAILED}
	 */
	int exitCodeOf(@Nullable Throwable failure) {
		if (failure instanceof Exception exception) {
			for (ExitCodeExceptionMapper mapper : this.mappers) {
				int code = mapper.getExitCode(exception);
				if (code != 0) {
					return code;
				}
			}
		}
		return FAILED;
	}

}
