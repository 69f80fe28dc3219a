package dev.kafkastream.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kafkastream.event.CheckpointCompletedEvent;
import dev.kafkastream.event.KafkaStreamEvent;
import dev.kafkastream.event.SourceStateChangedEvent;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code kafkastream} endpoint over HTTP, against a running exactly-once pipeline: its
 * offsets, lag and checkpoints match what the test produced and the pipeline processed,
 * and its write operations pause, resume, reset and drain the source.
 */
class KafkaStreamEndpointIT {

	private static final String JAAS_PASSWORD = "jaas-secret-4711";

	private static final String KEYSTORE_PASSWORD = "keystore-secret-0815";

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void offsetsLagAndCheckpointsMatchWhatWasProducedAndPauseStopsProgress() {
		String input = KafkaTestBroker.uniqueTopicName("endpoint-in");
		String output = KafkaTestBroker.uniqueTopicName("endpoint-out");
		this.kafka.createTopic(input, 2);
		this.kafka.createTopic(output, 2);
		List<TestRecords.Input> inputs = new ArrayList<>(
				TestRecords.produce(this.kafka.bootstrapServers(), input, 1_000, 50));
		List<KafkaStreamEvent> events = new CopyOnWriteArrayList<>();
		try (ConfigurableApplicationContext context = run(input, output, events,
				// secrets the endpoint must never show (PLAINTEXT clients ignore them)
				"--kafka-stream.properties.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
						+ " required username=\"app\" password=\"" + JAAS_PASSWORD + "\";",
				"--kafka-stream.properties.ssl.keystore.password=" + KEYSTORE_PASSWORD)) {
			ActuatorHttp actuator = ActuatorHttp.of(context);
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs).awaitExactlyOnce(Duration.ofMinutes(1));
			JsonNode first = await().atMost(Duration.ofSeconds(30))
				.until(() -> actuator.read("kafkastream"), (body) -> lag(body) == 0 && source(body).path("state")
					.asString()
					.equals("RUNNING") && source(body).path("recordsIn").asLong() == 1_000);
			JsonNode source = source(first);
			assertThat(source.path("groupId").asString()).isEqualTo(input);
			assertThat(source.path("subscription").asString()).isEqualTo("topics [" + input + "]");
			assertThat(source.path("startingOffsets").asString()).isEqualTo("earliest");
			assertThat(source.path("endOffsets").path("stale").asBoolean()).isFalse();
			Map<String, Long> produced = endOffsets(input);
			assertThat(produced.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1_000);
			assertThat(source.path("partitions").propertyNames()).containsExactlyInAnyOrderElementsOf(produced.keySet());
			produced.forEach((partition, end) -> {
				JsonNode status = source.path("partitions").path(partition);
				assertThat(status.path("endOffset").asLong()).isEqualTo(end);
				assertThat(status.path("currentOffset").asLong()).isEqualTo(end);
				assertThat(status.path("lag").asLong()).isZero();
			});
			JsonNode sink = source.path("sinks").path("out");
			assertThat(sink.path("topic").asString()).isEqualTo(output);
			assertThat(sink.path("deliveryGuarantee").asString()).isEqualTo("EXACTLY_ONCE");
			assertThat(sink.path("transactionalIdPrefix").asString()).isEqualTo(output);
			assertThat(sink.path("recordsOut").asLong()).isEqualTo(1_000);
			assertThat(sink.path("failedSends").asLong()).isZero();
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				JsonNode partitions = source(actuator.read("kafkastream")).path("partitions");
				produced.forEach((partition, end) -> {
					assertThat(partitions.path(partition).path("committedOffset").asLong()).isEqualTo(end);
					assertThat(partitions.path(partition).path("committedBy").asLong()).isPositive();
				});
			});
			long firstCheckpoint = first.path("checkpoints").path("latestCompleted").path("id").asLong();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> actuator.read("kafkastream").path("checkpoints").path("latestCompleted").path("id")
					.asLong() > firstCheckpoint);
			JsonNode one = actuator.read("kafkastream/in");
			assertThat(one.path("state").asString()).isEqualTo("RUNNING");
			assertThat(one.path("recordsIn").asLong()).isEqualTo(1_000);
			assertThat(one.path("partitions").propertyNames()).containsExactlyInAnyOrderElementsOf(produced.keySet());
			assertThat(actuator.get("kafkastream/no-such-source").status()).isEqualTo(404);

			JsonNode paused = actuator.post("kafkastream/in", "{\"operation\":\"pause\"}").json();
			assertThat(paused.path("completed").asBoolean()).isTrue();
			assertThat(paused.path("state").asString()).isEqualTo("PAUSED");
			long checkpointWhenPaused = actuator.read("kafkastream").path("checkpoints").path("latestCompleted")
				.path("id").asLong();
			inputs.addAll(TestRecords.produce(this.kafka.bootstrapServers(), input, 1_000, 200, 50));
			JsonNode whilePaused = await().atMost(Duration.ofSeconds(30))
				.until(() -> actuator.read("kafkastream"), (body) -> lag(body) == 200
						&& body.path("checkpoints").path("latestCompleted").path("id").asLong() > checkpointWhenPaused);
			assertThat(source(whilePaused).path("state").asString()).isEqualTo("PAUSED");
			assertThat(source(whilePaused).path("recordsIn").asLong()).as("nothing read while paused").isEqualTo(1_000);
			assertThat(actuator.post("kafkastream/in", "{\"operation\":\"pause\"}").status()).isEqualTo(400);
			// paused on purpose: healthy, and still ready
			assertThat(actuator.read("health/kafkaStream").path("status").asString()).isEqualTo("UP");
			assertThat(actuator.read("health/readiness").path("status").asString()).isEqualTo("UP");

			JsonNode resumed = actuator.post("kafkastream/in", "{\"operation\":\"resume\"}").json();
			assertThat(resumed.path("state").asString()).isEqualTo("RUNNING");
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs).awaitExactlyOnce(Duration.ofMinutes(1));
			JsonNode caughtUp = await().atMost(Duration.ofSeconds(30))
				.until(() -> actuator.read("kafkastream"), (body) -> lag(body) == 0
						&& source(body).path("recordsPerSecond").asDouble() > 0);
			assertThat(source(caughtUp).path("recordsIn").asLong()).isEqualTo(1_200);

			JsonNode checkpoint = actuator.post("kafkastream", "").json();
			assertThat(checkpoint.path("state").asString()).isEqualTo("COMPLETED");
			assertThat(checkpoint.path("id").asLong()).isGreaterThan(checkpointWhenPaused);
			assertThat(checkpoint.path("offsets").path(input + "-0").asLong()).isEqualTo(endOffsets(input).get(input + "-0"));

			for (String path : List.of("kafkastream", "kafkastream/in", "health")) {
				assertThat(actuator.get(path).body()).doesNotContain(JAAS_PASSWORD).doesNotContain(KEYSTORE_PASSWORD);
			}
			assertThat(events).filteredOn(SourceStateChangedEvent.class::isInstance)
				.map((event) -> ((SourceStateChangedEvent) event).getState())
				.containsSubsequence(PipelineState.STARTING, PipelineState.RUNNING, PipelineState.PAUSED,
						PipelineState.RUNNING);
			assertThat(events).filteredOn(CheckpointCompletedEvent.class::isInstance)
				.extracting((event) -> ((CheckpointCompletedEvent) event).getCheckpoint().id())
				.contains(checkpoint.path("id").asLong())
				.isSorted();
		}
	}

	@Test
	void resetReplaysExactlyTheRecordsAfterTheNewOffsetsOnceAndDrainEndsWithAFinalCheckpoint() {
		String input = KafkaTestBroker.uniqueTopicName("reset-in");
		String output = KafkaTestBroker.uniqueTopicName("reset-out");
		this.kafka.createTopic(input, 2);
		this.kafka.createTopic(output, 2);
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, 600, 30);
		try (ConfigurableApplicationContext context = run(input, output, new CopyOnWriteArrayList<>())) {
			ActuatorHttp actuator = ActuatorHttp.of(context);
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs).awaitExactlyOnce(Duration.ofMinutes(1));
			ActuatorHttp.Response refused = actuator.post("kafkastream/in",
					"{\"operation\":\"reset\",\"to\":\"earliest\"}");
			assertThat(refused.status()).isEqualTo(400);
			assertThat(refused.body()).contains("is RUNNING: it can be reset only when PAUSED");

			assertThat(actuator.post("kafkastream/in", "{\"operation\":\"pause\"}").json().path("state").asString())
				.isEqualTo("PAUSED");
			JsonNode reset = actuator
				.post("kafkastream/in", "{\"operation\":\"reset\",\"to\":\"offsets\",\"offsets\":\"" + input + "-0=100,"
						+ input + "-1=250\"}")
				.json();
			assertThat(reset.path("completed").asBoolean()).as(reset.toString()).isTrue();
			assertThat(reset.hasNonNull("failure")).as(reset.toString()).isFalse();
			assertThat(reset.path("offsets").path(input + "-0").asLong()).isEqualTo(100);
			assertThat(reset.path("offsets").path(input + "-1").asLong()).isEqualTo(250);
			assertThat(reset.path("checkpoint").path("state").asString()).isEqualTo("COMPLETED");
			assertThat(reset.path("checkpoint").path("offsets").path(input + "-0").asLong()).isEqualTo(100);
			assertThat(committedOffsets(input)).as("committed as a checkpoint while still paused")
				.containsEntry(input + "-0", 100L)
				.containsEntry(input + "-1", 250L);
			assertThat(source(actuator.read("kafkastream")).path("partitions").path(input + "-1").path("committedBy")
				.asLong()).isEqualTo(reset.path("checkpoint").path("id").asLong());

			actuator.post("kafkastream/in", "{\"operation\":\"resume\"}");
			Set<Long> replayed = idsAtOrAfter(input, Map.of(0, 100L, 1, 250L));
			assertThat(replayed).hasSize((int) (endOffsets(input).get(input + "-0") - 100
					+ endOffsets(input).get(input + "-1") - 250));
			ExactlyOnceVerifier.Result result = await().atMost(Duration.ofMinutes(1))
				.until(() -> ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs).verify(),
						(verified) -> verified.recordsRead() == 600 + replayed.size());
			assertThat(result.missingCount()).isZero();
			assertThat(result.unexpectedCount()).isZero();
			assertThat(result.openTransactions()).isEmpty();
			assertThat(result.duplicateIdCount()).as("ids read twice").isEqualTo(replayed.size());
			assertThat(result.duplicateCount()).as("replayed once each").isEqualTo(replayed.size());
			assertThat(replayed).containsAll(result.duplicateIds());

			JsonNode drained = actuator.post("kafkastream/in", "{\"operation\":\"drain\"}").json();
			assertThat(drained.path("completed").asBoolean()).isTrue();
			assertThat(drained.path("state").asString()).isEqualTo("STOPPED");
			assertThat(drained.path("checkpoint").path("state").asString()).isEqualTo("COMPLETED");
			assertThat(drained.path("checkpoint").path("id").asLong())
				.isGreaterThan(reset.path("checkpoint").path("id").asLong());
			assertThat(committedOffsets(input)).isEqualTo(endOffsets(input));
			assertThat(source(actuator.read("kafkastream")).path("state").asString()).isEqualTo("STOPPED");
			ActuatorHttp.Response afterDrain = actuator.post("kafkastream/in", "{\"operation\":\"resume\"}");
			assertThat(afterDrain.status()).isEqualTo(400);
			assertThat(afterDrain.body()).contains("is STOPPED");
		}
	}

	private ConfigurableApplicationContext run(String input, String output, List<KafkaStreamEvent> events,
			String... arguments) {
		List<String> args = PipelineArguments
			.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", input)
			.with("--server.port=0", "--server.address=127.0.0.1", "--spring.main.web-application-type=servlet",
					"--management.endpoints.web.exposure.include=kafkastream,health",
					"--management.endpoint.health.show-details=always", "--spring.web.error.include-message=always",
					"--management.endpoint.health.group.readiness.include=readinessState,kafkaStreamReadiness",
					"--kafka-stream.lag.refresh-interval=200ms")
			.with(arguments)
			.toList();
		return new SpringApplicationBuilder(PassThroughApplication.class).web(WebApplicationType.SERVLET)
			.listeners((ApplicationListener<KafkaStreamEvent>) events::add)
			.run(args.toArray(String[]::new));
	}

	private static JsonNode source(JsonNode body) {
		return body.path("sources").path("in");
	}

	private static long lag(JsonNode body) {
		JsonNode lag = source(body).path("lag");
		return lag.isNumber() ? lag.asLong() : -1;
	}

	private Map<String, Long> endOffsets(String topic) {
		try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(Map.of(
				"bootstrap.servers", this.kafka.bootstrapServers(), "key.deserializer",
				org.apache.kafka.common.serialization.ByteArrayDeserializer.class, "value.deserializer",
				org.apache.kafka.common.serialization.ByteArrayDeserializer.class))) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			Map<String, Long> ends = new HashMap<>();
			consumer.endOffsets(partitions).forEach((partition, end) -> ends.put(partition.toString(), end));
			return ends;
		}
	}

	private Map<String, Long> committedOffsets(String group) {
		try {
			Map<String, Long> committed = new HashMap<>();
			TopicContent.committedOffsets(this.kafka.admin(), group)
				.forEach((partition, offset) -> committed.put(partition.toString(), offset));
			return committed;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Set<Long> idsAtOrAfter(String topic, Map<Integer, Long> offsets) {
		Set<Long> ids = new HashSet<>();
		for (ConsumerRecord<byte[], byte[]> record : TopicContent.readCommitted(this.kafka.bootstrapServers(), topic)
			.records()) {
			if (record.offset() >= offsets.get(record.partition())) {
				ids.add(TestRecords.parseId(new String(record.value(), UTF_8)).orElseThrow());
			}
		}
		return ids;
	}

}
