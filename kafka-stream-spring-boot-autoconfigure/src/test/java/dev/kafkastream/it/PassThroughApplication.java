package dev.kafkastream.it;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.kafkastream.handler.KafkaStreamHandler;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application under test: one pipeline, source {@code in} to sink
 * {@code out}, whose handler passes every value through with a suffix. Tests run it in
 * their own JVM or, to kill it, in a child JVM, configuring it with properties.
 * {@code test.handler.records-per-second} throttles the handler to simulate a slow
 * transformation, so that a test can kill the application while a checkpoint interval
 * is under way.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PassThroughApplication {

	@Bean
	PassThroughHandler passThroughHandler(@Value("${test.handler.records-per-second:0}") long recordsPerSecond) {
		return new PassThroughHandler(recordsPerSecond);
	}

	public static void main(String[] args) {
		SpringApplication.run(PassThroughApplication.class, args);
	}

	/**
	 * Appends {@code |out} to every value.
	 */
	static class PassThroughHandler {

		private final long nanosPerRecord;

		private final AtomicLong handled = new AtomicLong();

		private long nextDue = System.nanoTime();

		PassThroughHandler(long recordsPerSecond) {
			this.nanosPerRecord = (recordsPerSecond > 0) ? TimeUnit.SECONDS.toNanos(1) / recordsPerSecond : 0;
		}

		@KafkaStreamHandler(source = "in", sink = "out")
		String handle(String value) throws InterruptedException {
			if (this.nanosPerRecord > 0) {
				throttle();
			}
			this.handled.incrementAndGet();
			return value + "|out";
		}

		// A deliberately slow handler is the behaviour under test here, not synchronisation.
		private synchronized void throttle() throws InterruptedException {
			this.nextDue += this.nanosPerRecord;
			long wait = this.nextDue - System.nanoTime();
			if (wait > 1_000_000) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
		}

		long handled() {
			return this.handled.get();
		}

	}

}
