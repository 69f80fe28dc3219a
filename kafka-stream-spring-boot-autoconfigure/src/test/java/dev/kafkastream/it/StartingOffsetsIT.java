package dev.kafkastream.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kafkastream.it.RecordingApplication.Running;
import dev.kafkastream.it.RecordingApplication.Seen;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.KafkaTestBroker;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every starting-offsets mode against a real broker, asserting exactly the records the
 * handler saw; and that a checkpoint always wins over the starting offsets.
 */
class StartingOffsetsIT {

	private static final Instant BASE = Instant.parse("2024-05-01T00:00:00Z");

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	private final SourceRecords records = new SourceRecords(this.kafka);

	@Test
	void earliestReadsEverything() {
		String topic = this.records.newTopic("earliest", 2);
		List<Seen> expected = new ArrayList<>(this.records.write(topic, 0, 5, "a"));
		expected.addAll(this.records.write(topic, 1, 5, "b"));
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.starting-offsets=earliest")) {
			awaitSeen(app, expected);
		}
	}

	@Test
	void latestReadsOnlyWhatIsWrittenAfterStart() {
		String topic = this.records.newTopic("latest", 2);
		this.records.write(topic, 0, 5, "old");
		this.records.write(topic, 1, 5, "old");
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.starting-offsets=latest")) {
			app.awaitPositioned(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
			List<Seen> expected = new ArrayList<>(this.records.write(topic, 0, 3, "new"));
			expected.addAll(this.records.write(topic, 1, 2, "new"));
			awaitSeen(app, expected);
		}
	}

	@Test
	void timestampAsEpochMillisIsoInstantOrLocalTimeInAZoneStartsAtTheSameRecord() {
		String topic = this.records.newTopic("timestamp", 1);
		List<Seen> written = this.records.write(topic, 0, 20, "t", BASE.toEpochMilli(), 1000);
		List<Seen> expected = written.subList(10, 20);
		String[] forms = { String.valueOf(BASE.plusSeconds(10).toEpochMilli()), "2024-05-01T00:00:10Z",
				"'2024-05-01 08:00:10'" };
		for (int i = 0; i < forms.length; i++) {
			try (Running app = RecordingApplication.run(this.kafka.bootstrapServers(), topic + "-" + i,
					"--kafka-stream.sources.in.topics=" + topic, "--kafka-stream.sources.in.starting-offsets=timestamp",
					"--kafka-stream.sources.in.starting-timestamp=" + forms[i].replace("'", ""),
					"--kafka-stream.sources.in.time-zone=Asia/Shanghai")) {
				awaitSeen(app, expected);
			}
		}
	}

	@Test
	void timestampAfterTheNewestRecordStartsAtTheEnd() {
		String topic = this.records.newTopic("future", 1);
		this.records.write(topic, 0, 5, "old", BASE.toEpochMilli(), 1000);
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.starting-offsets=timestamp",
				"--kafka-stream.sources.in.starting-timestamp=" + BASE.plusSeconds(3600).toEpochMilli())) {
			app.awaitPositioned(new TopicPartition(topic, 0));
			assertThat(app.pipeline().workers().get(0).positions()).containsEntry(new TopicPartition(topic, 0), 5L);
			awaitSeen(app, this.records.write(topic, 0, 3, "new"));
		}
	}

	@Test
	void specificOffsetsForListedPartitionsAndTheResetStrategyForTheOthers() {
		String topic = this.records.newTopic("specific", 3);
		List<Seen> expected = new ArrayList<>(this.records.write(topic, 0, 10, "a").subList(4, 10));
		expected.addAll(this.records.write(topic, 1, 10, "b").subList(7, 10));
		expected.addAll(this.records.write(topic, 2, 10, "c"));
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.starting-offsets=specific",
				"--kafka-stream.sources.in.specific-offsets." + topic + ".0=4",
				"--kafka-stream.sources.in.specific-offsets." + topic + ".1=7",
				"--kafka-stream.sources.in.offset-reset-strategy=earliest")) {
			awaitSeen(app, expected);
		}
	}

	@Test
	void committedWithResetNoneFailsNamingThePartitionsWithoutOffset() {
		String topic = this.records.newTopic("none", 2);
		this.records.write(topic, 0, 3, "a");
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.starting-offsets=committed",
				"--kafka-stream.sources.in.offset-reset-strategy=none")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> app.pipeline().state() == PipelineState.FAILED);
			assertThat(app.pipeline().failure()).contains("No committed offset for", topic + "-0", topic + "-1",
					"'none'");
			assertThat(app.seen()).isEmpty();
		}
	}

	@Test
	void committedOffsetsAreResumedAndTheResetStrategyPlacesTheRest() throws Exception {
		String topic = this.records.newTopic("committed", 2);
		List<Seen> partition0 = this.records.write(topic, 0, 10, "a");
		this.records.write(topic, 1, 10, "b");
		this.kafka.admin()
			.alterConsumerGroupOffsets(topic, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(6)))
			.all()
			.get();
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.starting-offsets=committed",
				"--kafka-stream.sources.in.offset-reset-strategy=latest")) {
			app.awaitPositioned(new TopicPartition(topic, 1));
			List<Seen> expected = new ArrayList<>(partition0.subList(6, 10));
			expected.addAll(this.records.write(topic, 1, 2, "new"));
			awaitSeen(app, expected);
		}
	}

	@Test
	void aRestartResumesFromTheCheckpointWhateverTheStartingOffsetsSay() throws Exception {
		String topic = this.records.newTopic("resume", 1);
		List<Seen> first = this.records.write(topic, 0, 8, "first", BASE.toEpochMilli(), 1000);
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.starting-offsets=timestamp",
				"--kafka-stream.sources.in.starting-timestamp=" + BASE.plusSeconds(2).toEpochMilli())) {
			awaitSeen(app, first.subList(2, 8));
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(this.records.committed(topic))
					.containsEntry(new TopicPartition(topic, 0), 8L));
		}
		List<Seen> second = this.records.write(topic, 0, 4, "second");
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.starting-offsets=earliest")) {
			awaitSeen(app, second);
		}
	}

	@Test
	void aCheckpointWhoseRecordsWereDeletedReadsOnFromTheEarliestRecordLeft() throws Exception {
		String topic = this.records.newTopic("deleted", 1);
		List<Seen> written = this.records.write(topic, 0, 10, "r");
		TopicPartition partition = new TopicPartition(topic, 0);
		this.kafka.admin().alterConsumerGroupOffsets(topic, Map.of(partition, new OffsetAndMetadata(3))).all().get();
		this.kafka.admin().deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(6))).all().get();
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.starting-offsets=earliest")) {
			awaitSeen(app, written.subList(6, 10));
			await().atMost(Duration.ofSeconds(30)).until(() -> app.pipeline().state() == PipelineState.RUNNING);
		}
	}


	/**
	 * Waits until the handler saw exactly the expected records, and checks it sees no more.
	 */
	private static void awaitSeen(Running app, List<Seen> expected) {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(app.seen()).containsExactlyInAnyOrderElementsOf(expected));
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(app.seen()).hasSameSizeAs(expected));
	}

}
