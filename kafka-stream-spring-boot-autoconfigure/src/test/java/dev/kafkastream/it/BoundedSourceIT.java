package dev.kafkastream.it;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kafkastream.it.RecordingApplication.Running;
import dev.kafkastream.it.RecordingApplication.Seen;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.ChildJvm;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.KafkaTestBroker;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bounded sources against a real broker: they stop each partition by position, so a tail
 * of transaction markers or aborted records never hangs them, take a final checkpoint,
 * finish, and can end the application.
 */
class BoundedSourceIT {

	private static final Instant BASE = Instant.parse("2024-05-01T00:00:00Z");

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	private final SourceRecords records = new SourceRecords(this.kafka);

	@TempDir
	Path logs;

	@Test
	void latestStopFinishesOverATopicWhoseTailIsACommitMarker() throws Exception {
		String topic = this.records.newTopic("marker", 2);
		List<Seen> expected = new ArrayList<>(this.records.writeTransaction(topic, 0, 30, "a", true));
		expected.addAll(this.records.writeTransaction(topic, 1, 20, "b", true));
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.stopping-offsets=latest",
				"--kafka-stream.sources.in.concurrency=2")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> app.pipeline().state() == PipelineState.FINISHED);
			assertThat(app.seen()).containsExactlyInAnyOrderElementsOf(expected);
			// the final checkpoint committed past the markers: a restart has nothing left to read
			assertThat(this.records.committed(topic)).isEqualTo(this.records.logEnd(topic, 2));
			assertThat(app.pipeline().stoppingOffsets()).isEqualTo(Map.of(topic + "-0", 31L, topic + "-1", 21L)
				.entrySet()
				.stream()
				.collect(java.util.stream.Collectors.toMap((entry) -> new TopicPartition(topic,
						Integer.parseInt(entry.getKey().substring(entry.getKey().length() - 1))), Map.Entry::getValue)));
		}
	}

	@Test
	void latestStopFinishesOverAnAbortedTransactionAtTheEnd() {
		String topic = this.records.newTopic("aborted", 1);
		List<Seen> expected = this.records.writeTransaction(topic, 0, 30, "kept", true);
		this.records.writeTransaction(topic, 0, 20, "dropped", false);
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.stopping-offsets=latest")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> app.pipeline().state() == PipelineState.FINISHED);
			assertThat(app.seen()).containsExactlyInAnyOrderElementsOf(expected);
		}
	}

	@Test
	void timestampStopReadsTheRecordsBeforeIt() {
		String topic = this.records.newTopic("stop-time", 1);
		List<Seen> written = this.records.write(topic, 0, 20, "t", BASE.toEpochMilli(), 1000);
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.stopping-offsets=timestamp",
				"--kafka-stream.sources.in.stopping-timestamp=2024-05-01T00:00:15Z")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> app.pipeline().state() == PipelineState.FINISHED);
			assertThat(app.seen()).containsExactlyElementsOf(written.subList(0, 15));
		}
	}

	@Test
	void specificStopsReadListedPartitionsUpToTheirOffsetAndNothingOfTheOthers() {
		String topic = this.records.newTopic("stop-specific", 2);
		List<Seen> partition0 = this.records.write(topic, 0, 10, "a");
		this.records.write(topic, 1, 10, "b");
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.stopping-offsets=specific",
				"--kafka-stream.sources.in.stopping-specific-offsets." + topic + ".0=6")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> app.pipeline().state() == PipelineState.FINISHED);
			assertThat(app.seen()).containsExactlyElementsOf(partition0.subList(0, 6));
		}
	}

	@Test
	void unboundedSourceWithStoppingOffsetsStopsReadingButKeepsRunning() {
		String topic = this.records.newTopic("unbounded", 1);
		List<Seen> expected = this.records.write(topic, 0, 10, "before");
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.stopping-offsets=latest",
				"--kafka-stream.sources.in.bounded=false")) {
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(app.seen()).containsExactlyElementsOf(expected));
			this.records.write(topic, 0, 5, "after");
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(app.seen()).hasSize(10));
			assertThat(app.pipeline().state()).isEqualTo(PipelineState.RUNNING);
		}
	}

	@Test
	void applicationExitsWithStatusZeroWhenEverySourceIsFinished() {
		String topic = this.records.newTopic("batch", 2);
		this.records.write(topic, 0, 25, "a");
		this.records.write(topic, 1, 25, "b");
		try (ChildJvm app = ChildJvm.builder(RecordingApplication.class)
			.jvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1")
			.args("--spring.main.web-application-type=none",
					"--kafka-stream.bootstrap-servers=" + this.kafka.bootstrapServers(),
					"--kafka-stream.instance-id=batch", "--kafka-stream.checkpoint.interval=200ms",
					"--kafka-stream.sources.in.topics=" + topic, "--kafka-stream.sources.in.group-id=" + topic,
					"--kafka-stream.sources.in.stopping-offsets=latest", "--kafka-stream.exit-when-finished=true")
			.logFile(this.logs.resolve("batch.log"))
			.start()) {
			Integer exitCode = app.waitFor(Duration.ofSeconds(90));
			assertThat(exitCode).as("exit code; log:%n%s", app.logTail(60)).isZero();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.records.committed(topic))
					.isEqualTo(this.records.logEnd(topic, 2)));
		}
	}


}
