package dev.kafkastream.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.kafkastream.handler.KafkaStreamHandler;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application under test: one pipeline, source {@code in} to sink
 * {@code out}, whose handler passes every value through with a suffix. Tests run it in
 * their own JVM or, to kill it, in a child JVM, configuring it with properties.
 * {@code test.handler.records-per-second} throttles the handler to simulate a slow
 * transformation, so that a test can kill the application while a checkpoint interval
 * is under way; {@code test.handler.stall-at-id} and {@code test.handler.stall} make the
 * handler hang once, on one record, for a while.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PassThroughApplication {

	@Bean
	PassThroughHandler passThroughHandler(@Value("${test.handler.records-per-second:0}") long recordsPerSecond,
			@Value("${test.handler.stall-at-id:-1}") long stallAtId,
			@Value("${test.handler.stall:0s}") Duration stall) {
		return new PassThroughHandler(recordsPerSecond, stallAtId, stall);
	}

	/**
	 * Runs the application without a web server (the test classpath has one), unless
	 * {@code --spring.main.web-application-type} says otherwise.
	 * @param args the arguments
	 */
	public static void main(String[] args) {
		new SpringApplicationBuilder(PassThroughApplication.class).web(WebApplicationType.NONE).run(args);
	}

	/**
	 * Appends {@code |out} to every value.
	 */
	static class PassThroughHandler {

		private final long nanosPerRecord;

		private final AtomicLong handled = new AtomicLong();

		private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();

		private long nextDue = System.nanoTime();

		private final long stallAtId;

		private final Duration stall;

		private final AtomicBoolean stalled = new AtomicBoolean();

		PassThroughHandler(long recordsPerSecond, long stallAtId, Duration stall) {
			this.nanosPerRecord = (recordsPerSecond > 0) ? TimeUnit.SECONDS.toNanos(1) / recordsPerSecond : 0;
			this.stallAtId = stallAtId;
			this.stall = stall;
		}

		@KafkaStreamHandler(source = "in", sink = "out")
		String handle(String value) throws InterruptedException {
			if (this.nanosPerRecord > 0) {
				throttle();
			}
			if (this.stallAtId >= 0 && value.equals(String.valueOf(this.stallAtId)) && this.stalled.compareAndSet(false, true)) {
				// a handler that hangs is the behaviour under test
				TimeUnit.MILLISECONDS.sleep(this.stall.toMillis());
			}
			this.handled.incrementAndGet();
			this.invocations.computeIfAbsent(value, (key) -> new AtomicInteger()).incrementAndGet();
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

		boolean stalled() {
			return this.stalled.get();
		}

		/**
		 * How often the record handled most often was handled.
		 * @return the highest number of calls for one value
		 */
		int mostCallsForOneRecord() {
			return this.invocations.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
		}

		long handled() {
			return this.handled.get();
		}

	}

}
