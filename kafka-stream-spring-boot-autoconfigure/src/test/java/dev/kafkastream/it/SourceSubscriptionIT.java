package dev.kafkastream.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kafkastream.it.RecordingApplication.Running;
import dev.kafkastream.it.RecordingApplication.Seen;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.KafkaTestBroker;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscriptions against a real broker: a topic pattern that picks up a topic created
 * after start, explicit partitions, and partitions added to a topic after start.
 */
class SourceSubscriptionIT {

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	private final SourceRecords records = new SourceRecords(this.kafka);

	@Test
	void topicPatternPicksUpATopicCreatedAfterStartFromItsFirstRecord() {
		String prefix = KafkaTestBroker.uniqueTopicName("pattern");
		String first = prefix + "-a";
		String later = prefix + "-b";
		this.kafka.createTopic(first, 1);
		this.records.write(first, 0, 10, "before");
		try (Running app = RecordingApplication.run(this.kafka.bootstrapServers(), prefix,
				"--kafka-stream.sources.in.topic-pattern=" + prefix.replace("-", "\\-") + "\\-.*",
				"--kafka-stream.sources.in.starting-offsets=latest",
				"--kafka-stream.sources.in.partition-discovery-interval=500ms")) {
			app.awaitPositioned(new TopicPartition(first, 0));
			List<Seen> expected = new ArrayList<>(this.records.write(first, 0, 5, "after"));
			this.kafka.createTopic(later, 1);
			expected.addAll(this.records.write(later, 0, 7, "new-topic"));
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(app.seen()).containsExactlyInAnyOrderElementsOf(expected));
			assertThat(app.seen()).filteredOn((seen) -> seen.topic().equals(later))
				.extracting(Seen::offset)
				.containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
		}
	}

	@Test
	void explicitPartitionsAreTheOnlyOnesRead() {
		String topic = KafkaTestBroker.uniqueTopicName("explicit");
		this.kafka.createTopic(topic, 3);
		List<Seen> expected = new ArrayList<>();
		for (int partition = 0; partition < 3; partition++) {
			List<Seen> written = this.records.write(topic, partition, 20, "p" + partition);
			if (partition != 1) {
				expected.addAll(written);
			}
		}
		try (Running app = RecordingApplication.run(this.kafka.bootstrapServers(), topic,
				"--kafka-stream.sources.in.partitions." + topic + "=0,2",
				"--kafka-stream.sources.in.concurrency=2")) {
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(app.seen()).containsExactlyInAnyOrderElementsOf(expected));
			assertThat(app.pipeline().workers()).allSatisfy(
					(worker) -> assertThat(worker.positions()).hasSize(1).doesNotContainKey(new TopicPartition(topic, 1)));
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(this.records.committed(topic))
					.containsOnly(Map.entry(new TopicPartition(topic, 0), 20L), Map.entry(new TopicPartition(topic, 2), 20L)));
		}
	}

	@Test
	void partitionsAddedAfterStartAreReadFromOffsetZero() throws Exception {
		String topic = KafkaTestBroker.uniqueTopicName("grow");
		this.kafka.createTopic(topic, 1);
		try (Running app = RecordingApplication.run(this.kafka.bootstrapServers(), topic,
				"--kafka-stream.sources.in.topics=" + topic, "--kafka-stream.sources.in.starting-offsets=latest",
				"--kafka-stream.sources.in.partition-discovery-interval=500ms")) {
			app.awaitPositioned(new TopicPartition(topic, 0));
			this.kafka.admin().createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get();
			List<Seen> expected = new ArrayList<>(this.records.write(topic, 1, 6, "p1"));
			expected.addAll(this.records.write(topic, 2, 4, "p2"));
			expected.addAll(this.records.write(topic, 0, 3, "p0"));
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(app.seen()).containsExactlyInAnyOrderElementsOf(expected));
			assertThat(app.seen()).filteredOn((seen) -> seen.partition() == 1)
				.extracting(Seen::offset)
				.containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
		}
	}

}
