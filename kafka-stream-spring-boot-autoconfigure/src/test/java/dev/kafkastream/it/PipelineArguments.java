package dev.kafkastream.it;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kafkastream.autoconfigure.KafkaStreamConfigurationException;
import dev.kafkastream.test.ChildJvm;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Command-line arguments of a test application with one pipeline from source {@code in}
 * to sink {@code out}: a 500 ms checkpoint interval and a short recovery backoff, plus
 * whatever a test adds.
 */
final class PipelineArguments {

	private final Map<String, String> arguments = new LinkedHashMap<>();

	private PipelineArguments(String bootstrapServers, String input, String output, String guarantee,
			String instanceId) {
		with("--kafka-stream.bootstrap-servers=" + bootstrapServers, "--kafka-stream.instance-id=" + instanceId,
				"--kafka-stream.checkpoint.interval=500ms", "--kafka-stream.recovery.initial-backoff=100ms",
				"--kafka-stream.recovery.max-backoff=2s", "--kafka-stream.sources.in.topics=" + input,
				"--kafka-stream.sources.in.group-id=" + input, "--kafka-stream.sinks.out.topic=" + output,
				"--kafka-stream.sinks.out.delivery-guarantee=" + guarantee,
				"--kafka-stream.sinks.out.transactional-id-prefix=" + output);
	}

	static PipelineArguments inToOut(String bootstrapServers, String input, String output, String guarantee,
			String instanceId) {
		return new PipelineArguments(bootstrapServers, input, output, guarantee, instanceId);
	}

	/**
	 * Adds {@code --name=value} arguments; one naming a property already set replaces it.
	 * @param arguments the arguments
	 * @return this
	 */
	PipelineArguments with(String... arguments) {
		for (String argument : arguments) {
			int equals = argument.indexOf('=');
			this.arguments.put((equals > 0) ? argument.substring(0, equals) : argument, argument);
		}
		return this;
	}

	List<String> toList() {
		return List.copyOf(this.arguments.values());
	}

	/**
	 * Runs {@link PassThroughApplication} with these arguments in a child JVM of 256 MB
	 * heap, so that a test can kill it or stop it with a signal.
	 * @param logFile where the child's output goes
	 * @return the running child
	 */
	ChildJvm startPassThroughInChildJvm(Path logFile) {
		return ChildJvm.builder(PassThroughApplication.class)
			.jvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1")
			.args(toList())
			.logFile(logFile)
			.start();
	}

	/**
	 * Runs the given application in this JVM, without a web server.
	 * @param application the application class
	 * @return the running context
	 */
	ConfigurableApplicationContext run(Class<?> application) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.run(toList().toArray(String[]::new));
	}

	/**
	 * Runs {@link PassThroughApplication} with these arguments, expecting its start to
	 * fail with a {@link KafkaStreamConfigurationException}.
	 * @return the exception
	 */
	KafkaStreamConfigurationException startFailure() {
		Throwable thrown = catchThrowable(() -> run(PassThroughApplication.class).close());
		for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
			if (cause instanceof KafkaStreamConfigurationException configuration) {
				return configuration;
			}
		}
		throw new AssertionError("No KafkaStreamConfigurationException in " + thrown, thrown);
	}

}
