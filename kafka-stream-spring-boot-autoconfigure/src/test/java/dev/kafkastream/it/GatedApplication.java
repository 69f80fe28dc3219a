package dev.kafkastream.it;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.handler.KafkaStreamHandler;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application under test with one pipeline, source {@code in} to sink
 * {@code out}, whose handler passes values through, throws on {@link #POISON}, waits
 * while a test holds its gate closed, and takes {@code test.handler.pause-per-record}
 * for each record (a slow transformation, evenly paced).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class GatedApplication {

	static final String POISON = "poison";

	@Bean
	GatedHandler gatedHandler(@Value("${test.handler.pause-per-record:0ms}") Duration pausePerRecord) {
		return new GatedHandler(pausePerRecord);
	}

	static class GatedHandler {

		private final Duration pausePerRecord;

		private volatile CountDownLatch gate = new CountDownLatch(0);

		GatedHandler(Duration pausePerRecord) {
			this.pausePerRecord = pausePerRecord;
		}

		@KafkaStreamHandler(source = "in", sink = "out")
		String handle(String value) throws InterruptedException {
			if (value.equals(POISON)) {
				throw new IllegalStateException("poison record");
			}
			// a handler held up or slow is the behaviour under test: the worker falls behind
			this.gate.await();
			if (!this.pausePerRecord.isZero()) {
				TimeUnit.NANOSECONDS.sleep(this.pausePerRecord.toNanos());
			}
			return value;
		}

		void close() {
			this.gate = new CountDownLatch(1);
		}

		void open() {
			this.gate.countDown();
		}

	}

}
