package dev.kafkastream.it;

import java.util.Map;

import dev.kafkastream.handler.KafkaStreamHandler;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application under test with two pipelines: source {@code in} to sink
 * {@code out}, passing every value through with a suffix (and throwing an
 * {@link OutOfMemoryError} on a value containing {@link #OUT_OF_MEMORY}, a failure a
 * restart cures), and source {@code json}, reading JSON objects into nothing, so that a
 * value that is not JSON fails it under {@code on-deserialization-error: fail}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TwoSourcesApplication {

	/** A value that makes the handler of source {@code in} throw an {@link OutOfMemoryError}. */
	static final String OUT_OF_MEMORY = "out-of-memory";

	@Bean
	Handlers twoSourcesHandlers() {
		return new Handlers();
	}

	/**
	 * Runs the application without a web server, unless
	 * {@code --spring.main.web-application-type} says otherwise.
	 * @param args the arguments
	 */
	public static void main(String[] args) {
		new SpringApplicationBuilder(TwoSourcesApplication.class).web(WebApplicationType.NONE).run(args);
	}

	static class Handlers {

		@KafkaStreamHandler(source = "in", sink = "out")
		String passThrough(String value) {
			if (value.contains(OUT_OF_MEMORY)) {
				// a simulated exhausted heap: the failure a fresh start cures
				throw new OutOfMemoryError("Java heap space (simulated)");
			}
			return value + "|out";
		}

		@KafkaStreamHandler(source = "json")
		void readJson(Map<String, Object> value) {
		}

	}

}
