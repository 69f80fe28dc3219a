package dev.kafkastream.autoconfigure;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.PipelineState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Ends the application once, for the first reason given: closes the context through
 * {@link SpringApplication#exit}, so that the pipelines still running take their final
 * checkpoint and every {@link org.springframework.boot.ExitCodeGenerator} bean takes part
 * in the exit code, then hands the code to the {@link KafkaStreamProcessExit}. Runs on a
 * thread of its own, since it is told on a worker's thread, which the close waits for.
 */
final class ApplicationExit {

	private static final Logger logger = LoggerFactory.getLogger(ApplicationExit.class);

	private final ConfigurableApplicationContext context;

	private final KafkaStreamProcessExit processExit;

	private final AtomicBoolean exiting = new AtomicBoolean();

	ApplicationExit(ConfigurableApplicationContext context, KafkaStreamProcessExit processExit) {
		this.context = context;
		this.processExit = processExit;
	}

	/**
	 * Ends the application when the runtime says so.
	 * @param runtime the runtime
	 * @param properties what ends it: every source finished
	 * ({@code kafka-stream.exit-when-finished}), a source failed
	 * ({@code kafka-stream.on-pipeline-failure=stop-application})
	 */
	void watch(KafkaStreamRuntime runtime, KafkaStreamProperties properties) {
		if (properties.isExitWhenFinished()) {
			runtime.onFinished(() -> exit("Every source is finished"));
		}
		if (properties.getOnPipelineFailure() == KafkaStreamProperties.PipelineFailureAction.STOP_APPLICATION) {
			runtime.addStateListener((pipeline, previous, current) -> {
				if (current == PipelineState.FAILED) {
					exit("Pipeline '" + pipeline.name() + "' failed and kafka-stream.on-pipeline-failure is stop-application");
				}
			});
		}
	}

	/**
	 * Starts ending the application, unless it is already ending.
	 * @param reason why, for the log
	 */
	void exit(String reason) {
		if (!this.exiting.compareAndSet(false, true)) {
			return;
		}
		Thread exit = new Thread(() -> {
			logger.info("{}: closing the application", reason);
			int exitCode = SpringApplication.exit(this.context);
			logger.info("Exiting with status {}", exitCode);
			this.processExit.exit(exitCode);
		}, "kafka-stream-exit");
		exit.start();
	}

}
