package dev.kafkastream.benchmarks.contenders.starter;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.benchmarks.ContenderSettings;
import dev.kafkastream.handler.KafkaStreamHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * This starter, configured the way a user would in {@code application.yml} (here as default properties): one
 * source, one sink, the harness's guarantee and checkpoint interval, and an identity handler on bytes, a JSON
 * handler ({@code bench.handler=json}) that reads and writes an {@link Event}, or an identity batch handler on bytes
 * ({@code bench.handler=batch}). Its metrics and Kafka client metrics are on, as in an application with Actuator and
 * a Prometheus registry, and scraped every {@link PrometheusScraper#INTERVAL} as Prometheus would, unless
 * {@code bench.metrics=off} switches them off ({@code no-client}: the client metrics only).
 */
@SpringBootApplication
public class StarterContender {

	public static void main(String[] args) {
		ContenderSettings settings = ContenderSettings.fromSystemProperties();
		boolean json = "json".equals(System.getProperty("bench.handler"));
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("kafka-stream.bootstrap-servers", settings.bootstrapServers());
		properties.put("kafka-stream.instance-id", settings.id());
		properties.put("kafka-stream.checkpoint.interval", settings.interval().toMillis() + "ms");
		properties.put("kafka-stream.sources.in.topics", settings.input());
		properties.put("kafka-stream.sources.in.group-id", settings.group());
		properties.put("kafka-stream.sources.in.starting-offsets", "earliest");
		properties.put("kafka-stream.sinks.out.topic", settings.output());
		properties.put("kafka-stream.sinks.out.delivery-guarantee", settings.guarantee());
		if (settings.exactlyOnce()) {
			properties.put("kafka-stream.sinks.out.transactional-id-prefix", settings.id());
		}
		String metrics = System.getProperty("bench.metrics", "on");
		if (metrics.equals("off")) {
			properties.put("kafka-stream.metrics.enabled", "false");
		}
		if (!metrics.equals("on")) {
			properties.put("kafka-stream.metrics.client-metrics", "false");
		}
		if (json) {
			properties.put("kafka-stream.sources.in.value-format", "json");
			properties.put("kafka-stream.sinks.out.value-format", "json");
		}
		SpringApplication application = new SpringApplication(StarterContender.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(properties);
		application.run(args);
	}

	/**
	 * Scrapes the Prometheus registry as a Prometheus server would, so that reading the meters is part of the cost
	 * measured.
	 */
	@Component
	static class PrometheusScraper implements DisposableBean {

		static final Duration INTERVAL = Duration.ofSeconds(5);

		private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

		PrometheusScraper(ObjectProvider<PrometheusMeterRegistry> registry) {
			this.executor.scheduleWithFixedDelay(() -> registry.ifAvailable(PrometheusMeterRegistry::scrape),
					INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public void destroy() {
			this.executor.shutdownNow();
		}

	}

	/** The JSON document of the benchmark records. */
	public record Event(long id, String key, String payload) {
	}

	@Component
	@ConditionalOnProperty(name = "bench.handler", havingValue = "bytes", matchIfMissing = true)
	static class IdentityHandler {

		@KafkaStreamHandler(source = "in", sink = "out")
		byte[] forward(byte[] value) {
			return value;
		}

	}

	@Component
	@ConditionalOnProperty(name = "bench.handler", havingValue = "batch")
	static class IdentityBatchHandler {

		@KafkaStreamHandler(source = "in", sink = "out", batch = true)
		List<byte[]> forward(List<byte[]> values) {
			return values;
		}

	}

	@Component
	@ConditionalOnProperty(name = "bench.handler", havingValue = "json")
	static class JsonHandler {

		@KafkaStreamHandler(source = "in", sink = "out")
		Event forward(Event event) {
			return event;
		}

	}

}
