package dev.kafkastream.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import dev.kafkastream.it.PassThroughApplication.PassThroughHandler;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rebalance that happens while a worker is in the middle of a long batch, polling with
 * its partitions paused to stay in the group.
 */
class RebalanceDuringLongBatchIT {

	private static final int FIRST_BATCH = 2_000;

	private static final int SECOND_BATCH = 500;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	/**
	 * With a cooperative assignor the worker keeps its partition, paused, while the
	 * partition added to the topic is assigned to it during a keep-alive poll. The new
	 * partition has no checkpoint, so that poll cannot position it and throws: the worker
	 * must position it and resume the partitions it paused, not leave them paused for
	 * good.
	 */
	@Test
	void partitionAssignedDuringAKeepAlivePollIsPositionedAndThePausedPartitionsReadOn() throws Exception {
		String input = KafkaTestBroker.uniqueTopicName("long-batch-in");
		String output = KafkaTestBroker.uniqueTopicName("long-batch-out");
		this.kafka.createTopic(input, 1);
		this.kafka.createTopic(output, 2);
		String bootstrap = this.kafka.bootstrapServers();
		List<TestRecords.Input> inputs = new ArrayList<>(TestRecords.produce(bootstrap, input, FIRST_BATCH, 50));
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(bootstrap, input, output, "exactly-once", "long-batch")
			.with("--kafka-stream.sources.in.properties.partition.assignment.strategy="
					+ CooperativeStickyAssignor.class.getName(),
					// a keep-alive poll every 750 ms of a batch
					"--kafka-stream.sources.in.properties.max.poll.interval.ms=3000",
					// the partition added is found within half a second
					"--kafka-stream.sources.in.properties.metadata.max.age.ms=500",
					// batches of 10 s: the rebalance runs almost only in keep-alive polls
					"--kafka-stream.sources.in.properties.max.poll.records=1000",
					"--test.handler.records-per-second=100",
					// rare checkpoints: the polls between them are the keep-alive polls of batches
					"--kafka-stream.checkpoint.interval=10s", "--kafka-stream.checkpoint.timeout=10s")
			.run(PassThroughApplication.class)) {
			PassThroughHandler handler = context.getBean(PassThroughHandler.class);
			await().atMost(Duration.ofSeconds(60)).until(() -> handler.handled() >= 100);
			this.kafka.admin().createPartitions(Map.of(input, NewPartitions.increaseTo(2))).all().get();
			// keys of their own, so per-key order does not depend on the two partitions' pace
			List<TestRecords.Input> more = LongStream.range(FIRST_BATCH, FIRST_BATCH + SECOND_BATCH)
				.mapToObj((id) -> new TestRecords.Input(id, "late-" + (id % 20), TestRecords.value(id)))
				.toList();
			TestRecords.send(bootstrap, input, more);
			inputs.addAll(more);
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(bootstrap, output, inputs)
				.awaitExactlyOnce(Duration.ofSeconds(90));
			assertThat(result.recordsRead()).isEqualTo(FIRST_BATCH + SECOND_BATCH);
			assertThat(result.openTransactions()).isEmpty();
		}
	}

}
