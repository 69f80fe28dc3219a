package dev.kafkastream.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric the Grafana dashboard shipped in {@code docs/grafana} queries appears in a
 * real Prometheus scrape of a running pipeline.
 */
class GrafanaDashboardIT {

	private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "kafka-stream-dashboard.json");

	private static final Pattern METRIC = Pattern.compile("\\b(kafka_[a-z0-9_]+)\\b");

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void everyMetricTheDashboardQueriesIsScraped() throws Exception {
		Set<String> queried = queriedMetrics(JsonMapper.builder().build().readTree(Files.readString(DASHBOARD)));
		assertThat(queried).as("metrics of the dashboard's panels and variables")
			.contains("kafka_stream_source_records_in_total", "kafka_stream_source_pending_records",
					"kafka_stream_checkpoint_duration_seconds_count", "kafka_stream_sink_send_time_seconds",
					"kafka_stream_source_state");
		String input = KafkaTestBroker.uniqueTopicName("dashboard-in");
		String output = KafkaTestBroker.uniqueTopicName("dashboard-out");
		this.kafka.createTopic(input, 2);
		this.kafka.createTopic(output, 2);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, 300, 20);
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", input)
			.with("--spring.application.name=dashboard-it", "--kafka-stream.lag.refresh-interval=200ms")
			.with(PrometheusScrape.WEB_ARGUMENTS)
			.run(PassThroughApplication.class)) {
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(1));
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(PrometheusScrape.of(context, Duration.ofSeconds(5)).names())
					.containsAll(queried));
		}
	}

	private static Set<String> queriedMetrics(JsonNode dashboard) {
		Set<String> metrics = new TreeSet<>();
		List<String> queries = new java.util.ArrayList<>();
		collectQueries(dashboard, queries);
		for (String query : queries) {
			Matcher matcher = METRIC.matcher(query);
			while (matcher.find()) {
				metrics.add(matcher.group(1));
			}
		}
		return metrics;
	}

	/**
	 * Collects every panel's {@code expr} and every variable's {@code query}, at any depth.
	 */
	private static void collectQueries(JsonNode node, List<String> queries) {
		if (node.isObject()) {
			for (String field : List.of("expr", "query", "definition")) {
				JsonNode value = node.get(field);
				if (value != null && value.isString()) {
					queries.add(value.asString());
				}
			}
		}
		for (JsonNode child : node) {
			collectQueries(child, queries);
		}
	}

}
