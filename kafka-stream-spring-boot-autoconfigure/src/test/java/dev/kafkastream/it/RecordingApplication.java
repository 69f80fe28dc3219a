package dev.kafkastream.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.runtime.Pipeline;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.awaitility.Awaitility.await;

/**
 * A Spring Boot application under test with one sink-less pipeline on source {@code in}
 * whose handler records every record it sees, so a test can assert exactly what a source
 * read.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class RecordingApplication {

	@Bean
	RecordingHandler recordingHandler() {
		return new RecordingHandler();
	}

	/**
	 * Runs the application without a web server (the test classpath has one), unless
	 * {@code --spring.main.web-application-type} says otherwise.
	 * @param args the arguments
	 */
	public static void main(String[] args) {
		new SpringApplicationBuilder(RecordingApplication.class).web(WebApplicationType.NONE).run(args);
	}

	/**
	 * Runs the application in this JVM with source {@code in} in the given group, a 200 ms
	 * checkpoint interval, and further arguments.
	 * @param bootstrapServers the brokers
	 * @param group the source's group id
	 * @param arguments further {@code --name=value} arguments
	 * @return the running application
	 */
	static Running run(String bootstrapServers, String group, String... arguments) {
		return run(bootstrapServers, group, List.of(), arguments);
	}

	/**
	 * Runs the application as {@link #run(String, String, String...)} does, with further
	 * configuration classes (beans that replace the auto-configured ones).
	 * @param bootstrapServers the brokers
	 * @param group the source's group id
	 * @param configurations further configuration classes
	 * @param arguments further {@code --name=value} arguments
	 * @return the running application
	 */
	static Running run(String bootstrapServers, String group, List<Class<?>> configurations, String... arguments) {
		Map<String, String> all = new LinkedHashMap<>();
		Stream.concat(Stream.of("--kafka-stream.bootstrap-servers=" + bootstrapServers,
				"--kafka-stream.instance-id=" + group, "--kafka-stream.checkpoint.interval=200ms",
				"--kafka-stream.recovery.initial-backoff=100ms", "--kafka-stream.sources.in.group-id=" + group),
				Stream.of(arguments))
			// a later argument for the same property replaces the earlier one
			.forEach((argument) -> all.put(argument.substring(0, Math.max(0, argument.indexOf('='))), argument));
		List<Class<?>> sources = new ArrayList<>(List.of(RecordingApplication.class));
		sources.addAll(configurations);
		return new Running(new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(WebApplicationType.NONE)
			.run(all.values().toArray(String[]::new)));
	}

	/**
	 * A running recording application.
	 *
	 * @param context its context
	 */
	record Running(ConfigurableApplicationContext context) implements AutoCloseable {

		List<Seen> seen() {
			return this.context.getBean(RecordingHandler.class).seen();
		}

		Pipeline pipeline() {
			return this.context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
		}

		/**
		 * Waits until the workers know where each partition starts.
		 * @param partitions the partitions
		 */
		void awaitPositioned(TopicPartition... partitions) {
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				Set<TopicPartition> positioned = new HashSet<>();
				pipeline().workers().forEach((worker) -> positioned.addAll(worker.positions().keySet()));
				return positioned.containsAll(List.of(partitions));
			});
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

	/**
	 * Where a record was read from, and its value.
	 *
	 * @param topic the topic
	 * @param partition the partition
	 * @param offset the offset
	 * @param value the value
	 */
	record Seen(String topic, int partition, long offset, String value) {

	}

	/**
	 * Records what source {@code in} reads.
	 */
	static class RecordingHandler {

		private final List<Seen> seen = new CopyOnWriteArrayList<>();

		@KafkaStreamHandler(source = "in")
		void record(ConsumerRecord<String, String> record) {
			this.seen.add(new Seen(record.topic(), record.partition(), record.offset(), record.value()));
		}

		List<Seen> seen() {
			return List.copyOf(this.seen);
		}

	}

}
