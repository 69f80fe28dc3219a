package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What Prometheus reads from {@code /actuator/prometheus} of a running exactly-once
 * pipeline: offsets and lag that match what was produced and consumed, records in and out,
 * increasing checkpoints, and the Kafka clients' own metrics unless they are switched
 * off.
 */
class PrometheusMetricsIT {

	private static final int RECORDS = 1_500;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void scrapeShowsOffsetsLagCountsCheckpointsAndClientMetrics() throws Exception {
		String input = KafkaTestBroker.uniqueTopicName("metrics-in");
		String output = KafkaTestBroker.uniqueTopicName("metrics-out");
		this.kafka.createTopic(input, 3);
		this.kafka.createTopic(output, 3);
		try (ConfigurableApplicationContext context = run(input, output, "--spring.application.name=metrics-it")) {
			// both workers own their partitions before any record comes, so the owner of each read it
			Pipeline pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
			List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, 50);
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(1));
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				PrometheusScrape scrape = PrometheusScrape.of(context, Duration.ofSeconds(5));
				assertThat(scrape.value("kafka_stream_source_records_in_total", "source", "in",
						"application", "metrics-it")).isEqualTo(RECORDS);
				assertThat(scrape.value("kafka_stream_sink_records_out_total", "sink", "out")).isEqualTo(RECORDS);
				assertThat(scrape.value("kafka_stream_handler_duration_seconds_count", "source", "in"))
					.isEqualTo(RECORDS);
				assertThat(scrape.value("kafka_stream_source_bytes_in_bytes_total", "source", "in")).isPositive();
				assertThat(scrape.value("kafka_stream_sink_bytes_out_bytes_total", "sink", "out")).isPositive();
				Map<TopicPartition, Long> committed = TopicContent.committedOffsets(this.kafka.admin(), input);
				assertThat(committed).hasSize(3);
				long total = 0;
				for (int partition = 0; partition < 3; partition++) {
					String[] labels = { "source", "in", "topic", input, "partition", String.valueOf(partition) };
					double current = scrape.value("kafka_stream_source_current_offset", labels);
					assertThat(current).isEqualTo(committed.get(new TopicPartition(input, partition)).doubleValue());
					assertThat(scrape.value("kafka_stream_source_committed_offset", labels)).isEqualTo(current);
					assertThat(scrape.value("kafka_stream_source_pending_records", labels)).isZero();
					assertThat(scrape.value("kafka_stream_source_emit_event_time_lag_seconds", labels))
						.isNotNaN()
						.isBetween(0.0, 60.0);
					total += (long) current;
				}
				assertThat(total).as("every produced record was read").isEqualTo(RECORDS);
				assertThat(scrape.value("kafka_stream_source_end_offsets_age_seconds", "source", "in")).isLessThan(5);
				assertThat(scrape.value("kafka_stream_source_state", "source", "in", "state", "RUNNING")).isOne();
				assertThat(scrape.value("kafka_stream_source_state", "source", "in", "state", "FAILED")).isZero();
				assertThat(scrape.value("kafka_stream_source_idle_time_seconds", "source", "in")).isNotNaN();
				assertThat(scrape.value("kafka_stream_sink_send_time_seconds", "source", "in", "sink", "out"))
					.isNotNaN()
					.isPositive();
				assertThat(scrape.value("kafka_stream_checkpoint_duration_seconds_count", "outcome", "completed"))
					.isPositive();
				assertThat(scrape.samples("kafka_consumer_fetch_manager_records_consumed_total"))
					.as("the pipeline consumers' own metrics")
					.isNotEmpty()
					.allSatisfy((sample) -> assertThat(sample.labels().get("client_id")).startsWith("kafka-stream-"));
				assertThat(scrape.samples("kafka_producer_record_send_total")).isNotEmpty();
			});
			double checkpoints = PrometheusScrape.of(context, Duration.ofSeconds(5))
				.value("kafka_stream_checkpoints_total", "outcome", "completed");
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(PrometheusScrape.of(context, Duration.ofSeconds(5))
					.value("kafka_stream_checkpoints_total", "outcome", "completed")).isGreaterThan(checkpoints));
			TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, RECORDS, 50);
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				PrometheusScrape scrape = PrometheusScrape.of(context, Duration.ofSeconds(5));
				assertThat(scrape.value("kafka_stream_source_records_in_total", "source", "in"))
					.isEqualTo(2 * RECORDS);
				assertThat(scrape.samples("kafka_stream_source_pending_records", "source", "in"))
					.as("lag after a drain of the second batch")
					.hasSize(3)
					.allSatisfy((sample) -> assertThat(sample.value()).isZero());
			});
		}
	}

	@Test
	void clientMetricsCanBeSwitchedOff() {
		String input = KafkaTestBroker.uniqueTopicName("no-client-metrics-in");
		String output = KafkaTestBroker.uniqueTopicName("no-client-metrics-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 1);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, 100, 10);
		try (ConfigurableApplicationContext context = run(input, output,
				"--kafka-stream.metrics.client-metrics=false")) {
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs)
				.awaitExactlyOnce(Duration.ofMinutes(1));
			Pipeline pipeline = context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.state() == PipelineState.RUNNING);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				PrometheusScrape scrape = PrometheusScrape.of(context, Duration.ofSeconds(5));
				assertThat(scrape.value("kafka_stream_source_records_in_total", "source", "in")).isEqualTo(100);
				assertThat(scrape.names()).noneMatch((name) -> name.startsWith("kafka_consumer_"))
					.noneMatch((name) -> name.startsWith("kafka_producer_"));
			});
		}
	}

	private ConfigurableApplicationContext run(String input, String output, String... arguments) {
		return PipelineArguments.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", input)
			.with("--kafka-stream.sources.in.concurrency=2", "--kafka-stream.lag.refresh-interval=200ms")
			.with(PrometheusScrape.WEB_ARGUMENTS)
			.with(arguments)
			.run(PassThroughApplication.class);
	}

}
