package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;

import dev.kafkastream.test.KafkaBrokerProcess;
import dev.kafkastream.test.TestRecords;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Prometheus scrape never waits on the broker: with the broker stopped, every scrape of
 * {@code /actuator/prometheus} answers within a second, and lag turns stale (NaN, with
 * the end offsets' age growing) instead of slow.
 */
class ScrapeWithBrokerDownIT {

	private static final Duration ONE_SECOND = Duration.ofSeconds(1);

	@Test
	void scrapeAnswersWithinOneSecondAndLagTurnsStaleWhileTheBrokerIsDown() {
		try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder().build()) {
			kafka.start();
			String bootstrap = kafka.bootstrapServers();
			kafka.createTopic("in", 2);
			kafka.createTopic("out", 2);
			List<TestRecords.Input> inputs = TestRecords.produce(bootstrap, "in", 200, 10);
			try (ConfigurableApplicationContext context = PipelineArguments
				.inToOut(bootstrap, "in", "out", "at-least-once", "broker-down")
				.with("--kafka-stream.lag.refresh-interval=200ms", "--kafka-stream.shutdown-timeout=5s")
				.with(PrometheusScrape.WEB_ARGUMENTS)
				.run(PassThroughApplication.class)) {
				await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
					PrometheusScrape scrape = PrometheusScrape.of(context, Duration.ofSeconds(5));
					assertThat(scrape.value("kafka_stream_source_records_in_total", "source", "in"))
						.isEqualTo(inputs.size());
					assertThat(scrape.samples("kafka_stream_source_pending_records", "source", "in")).hasSize(2)
						.allSatisfy((sample) -> assertThat(sample.value()).isZero());
				});
				kafka.stop();
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
					PrometheusScrape scrape = PrometheusScrape.of(context, ONE_SECOND);
					assertThat(scrape.took()).isLessThan(ONE_SECOND);
					assertThat(scrape.samples("kafka_stream_source_pending_records", "source", "in"))
						.as("lag of end offsets the broker could not refresh")
						.hasSize(2)
						.allSatisfy((sample) -> assertThat(sample.value()).isNaN());
					assertThat(scrape.value("kafka_stream_source_end_offsets_age_seconds", "source", "in"))
						.isGreaterThan(0.6);
				});
				for (int i = 0; i < 10; i++) {
					PrometheusScrape scrape = PrometheusScrape.of(context, ONE_SECOND);
					assertThat(scrape.took()).as("scrape %d with the broker down", i).isLessThan(ONE_SECOND);
					assertThat(scrape.samples("kafka_consumer_fetch_manager_records_consumed_total")).isNotEmpty();
					assertThat(scrape.samples("kafka_stream_source_current_offset", "source", "in")).hasSize(2)
						.allSatisfy((sample) -> assertThat(sample.value()).isPositive());
				}
			}
		}
	}

}
