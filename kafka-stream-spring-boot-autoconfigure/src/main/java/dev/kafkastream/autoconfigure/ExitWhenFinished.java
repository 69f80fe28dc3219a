package dev.kafkastream.autoconfigure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Exits the application with status 0 once every bounded source is finished: the
 * context closes (the pipelines already took their final checkpoints), then the JVM
 * exits. Runs on a thread of its own, since it is told on a worker's thread, which the
 * shutdown waits for.
 */
class ExitWhenFinished implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(ExitWhenFinished.class);

	private final ConfigurableApplicationContext context;

	ExitWhenFinished(ConfigurableApplicationContext context) {
		this.context = context;
	}

	@Override
	public void run() {
		Thread exit = new Thread(() -> {
			logger.info("Every source is finished: exiting");
			System.exit(SpringApplication.exit(this.context, () -> 0));
		}, "kafka-stream-exit");
		exit.start();
	}

}
