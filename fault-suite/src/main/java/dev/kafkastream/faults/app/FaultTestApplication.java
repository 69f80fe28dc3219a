package dev.kafkastream.faults.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application the fault suite runs, kills, freezes and scales: one pipeline from
 * {@code in} to {@code out} through {@link RelayHandler}, configured in
 * {@code application.yml} as a user would configure it. The harness starts it in child
 * JVMs and sets the broker address, topics, instance id and guarantee on the command line.
 */
@SpringBootApplication
public class FaultTestApplication {

	public static void main(String[] args) {
		SpringApplication.run(FaultTestApplication.class, args);
	}

}
