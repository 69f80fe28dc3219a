package dev.kafkastream.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.checkpoint.CheckpointMetadata;
import dev.kafkastream.checkpoint.CheckpointMetadata.Stop;
import dev.kafkastream.it.PassThroughApplication.PassThroughHandler;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bounded source read by several instances of an application in one consumer group: the
 * first owner of each partition fixes its stop for the whole group, every instance finishes
 * once every partition of the group reached its stop, and an instance started after that
 * begins a new run.
 */
class BoundedSourceInstancesIT {

	private static final int PARTITIONS = 4;

	private static final int KEYS = 100;

	private static final int RATE = 500;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void instancesReadUpToTheStopsOfTheFirstOwnerAndAllFinish() throws Exception {
		String bootstrap = this.kafka.bootstrapServers();
		String input = topic("instances-in");
		String output = topic("instances-out");
		// each instance handles at most RATE records/s: the first alone would need 30 s, so the
		// second joins long before the first could finish the run on its own
		List<TestRecords.Input> early = TestRecords.produce(bootstrap, input, 30 * RATE, KEYS);
		Map<TopicPartition, Long> stops = endOffsets(input);
		try (ConfigurableApplicationContext first = start(bootstrap, input, output, "a")) {
			// the first instance owns every partition, fixed its stop and committed it
			await().atMost(Duration.ofSeconds(30)).until(() -> committed(input).size() == PARTITIONS);
			List<TestRecords.Input> late = TestRecords.produce(bootstrap, input, 30 * RATE, 200, KEYS);
			try (ConfigurableApplicationContext second = start(bootstrap, input, output, "b")) {
				await().atMost(Duration.ofSeconds(30)).until(() -> handler(second).handled() > 0);
				assertThat(pipeline(first).state()).as("the first instance when the second began to read")
					.isEqualTo(PipelineState.RUNNING);
				await().atMost(Duration.ofSeconds(90))
					.untilAsserted(() -> assertThat(List.of(pipeline(first).state(), pipeline(second).state()))
						.containsOnly(PipelineState.FINISHED));
				ExactlyOnceVerifier.of(bootstrap, output, early).awaitExactlyOnce(Duration.ofSeconds(30));
				assertThat(committed(input)).isEqualTo(stops);
				assertThat(committedStops(input)).isEqualTo(stopsOfRun(1, stops));
				assertThat(handler(first).handled()).isPositive();
			}
			// the run is over: an instance started now begins a new one, up to the end it finds
			List<TestRecords.Input> all = new ArrayList<>(early);
			all.addAll(late);
			try (ConfigurableApplicationContext third = start(bootstrap, input, output, "c")) {
				await().atMost(Duration.ofSeconds(60)).until(() -> pipeline(third).state() == PipelineState.FINISHED);
				ExactlyOnceVerifier.of(bootstrap, output, all).awaitExactlyOnce(Duration.ofSeconds(30));
				assertThat(committed(input)).isEqualTo(endOffsets(input));
				assertThat(committedStops(input)).isEqualTo(stopsOfRun(2, endOffsets(input)));
				assertThat(handler(third).handled()).isGreaterThanOrEqualTo(late.size());
			}
		}
	}

	private ConfigurableApplicationContext start(String bootstrap, String input, String output, String instanceId) {
		return PipelineArguments.inToOut(bootstrap, input, output, "exactly-once", instanceId)
			.with("--kafka-stream.sources.in.stopping-offsets=latest", "--test.handler.records-per-second=" + RATE)
			.run(PassThroughApplication.class);
	}

	private String topic(String name) {
		String topic = KafkaTestBroker.uniqueTopicName(name);
		this.kafka.createTopic(topic, PARTITIONS);
		return topic;
	}

	private Map<TopicPartition, Long> committed(String group) throws Exception {
		return TopicContent.committedOffsets(this.kafka.admin(), group);
	}

	private Map<TopicPartition, Stop> committedStops(String group) throws Exception {
		Map<TopicPartition, Stop> stops = new HashMap<>();
		this.kafka.admin()
			.listConsumerGroupOffsets(group)
			.partitionsToOffsetAndMetadata()
			.get(10, TimeUnit.SECONDS)
			.forEach((partition, offset) -> {
				Stop stop = (offset != null) ? CheckpointMetadata.stop(offset.metadata()) : null;
				if (stop != null) {
					stops.put(partition, stop);
				}
			});
		return stops;
	}

	private static Map<TopicPartition, Stop> stopsOfRun(long run, Map<TopicPartition, Long> offsets) {
		Map<TopicPartition, Stop> stops = new HashMap<>();
		offsets.forEach((partition, offset) -> stops.put(partition, new Stop(run, offset)));
		return stops;
	}

	private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
		Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
		for (int i = 0; i < PARTITIONS; i++) {
			latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
		}
		Map<TopicPartition, Long> offsets = new HashMap<>();
		this.kafka.admin()
			.listOffsets(latest)
			.all()
			.get()
			.forEach((partition, info) -> offsets.put(partition, info.offset()));
		return offsets;
	}

	private static Pipeline pipeline(ConfigurableApplicationContext context) {
		return context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
	}

	private static PassThroughHandler handler(ConfigurableApplicationContext context) {
		return context.getBean(PassThroughHandler.class);
	}

}
