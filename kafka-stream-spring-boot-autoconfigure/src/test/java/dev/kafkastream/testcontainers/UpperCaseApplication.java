package dev.kafkastream.testcontainers;

import java.util.Locale;

import dev.kafkastream.handler.KafkaStreamHandler;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A user's application: one pipeline that writes every word of topic {@code words} in
 * upper case to topic {@code upper-case-words}, exactly once. It names no broker: the
 * bootstrap servers come from the Testcontainers service connection of its test.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class UpperCaseApplication {

	@Bean
	UpperCaseHandler upperCaseHandler() {
		return new UpperCaseHandler();
	}

	/**
	 * Upper-cases each word.
	 */
	static class UpperCaseHandler {

		@KafkaStreamHandler(source = "words", sink = "upper-case-words")
		String upperCase(String word) {
			return word.toUpperCase(Locale.ROOT);
		}

	}

}
