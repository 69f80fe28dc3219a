package dev.kafkastream.autoconfigure;

/**
 * Ends the process once kafka-stream closed the application by itself, with
 * {@code kafka-stream.exit-when-finished} or {@code kafka-stream.on-pipeline-failure=stop-application}:
 * {@link org.springframework.boot.SpringApplication#exit SpringApplication.exit} already
 * computed the exit code (with every {@link org.springframework.boot.ExitCodeGenerator}
 * bean), published the {@link org.springframework.boot.ExitCodeEvent} and closed the
 * context. The default hands the code to the JVM with {@link System#exit(int)}, the only
 * way a process ends with a chosen status once {@code main} returned; define a bean of
 * this type to do otherwise, for instance in a test that runs the application in the
 * test's JVM, or where the JVM is not the application's own.
 */
@FunctionalInterface
public interface KafkaStreamProcessExit {

	/**
	 * Ends the process.
	 * @param exitCode the exit code {@code SpringApplication.exit} returned
	 */
	void exit(int exitCode);

	/**
	 * Ends the JVM with the exit code.
	 * @return a process exit calling {@link System#exit(int)}
	 */
	static KafkaStreamProcessExit system() {
		return System::exit;
	}

}
