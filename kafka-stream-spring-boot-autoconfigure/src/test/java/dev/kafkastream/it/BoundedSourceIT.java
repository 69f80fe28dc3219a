package dev.kafkastream.it;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kafkastream.it.RecordingApplication.Running;
import dev.kafkastream.it.RecordingApplication.Seen;
import dev.kafkastream.runtime.KafkaClients;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.ChildJvm;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.KafkaTestBroker;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
	void finalCheckpointThatFailsRollsBackAndReadsAgainBeforeFinishing() throws Exception {
		String topic = this.records.newTopic("rollback", 1);
		List<Seen> written = this.records.write(topic, 0, FailingFinalCommit.STOP, "r");
		// one record per poll, and a backoff longer than the checkpoint interval: after the
		// rollback a checkpoint is due before the records are read again
		try (Running app = RecordingApplication.run(this.kafka.bootstrapServers(), topic,
				List.of(FailingFinalCommit.class), "--kafka-stream.sources.in.topics=" + topic,
				"--kafka-stream.sources.in.stopping-offsets=latest",
				"--kafka-stream.sources.in.properties.max.poll.records=1",
				"--kafka-stream.recovery.initial-backoff=1s")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> app.pipeline().state() == PipelineState.FINISHED);
			assertThat(app.context().getBean(FailingFinalCommit.class).failed).hasValue(1);
			assertThat(this.records.committed(topic))
				.as("committed offsets when the source reported FINISHED")
				.isEqualTo(Map.of(new TopicPartition(topic, 0), (long) FailingFinalCommit.STOP));
			assertThat(app.seen()).containsAll(written);
		}
	}

	@Test
	void workersWithoutPartitionsFinishWithTheOthers() {
		String topic = this.records.newTopic("idle", 1);
		List<Seen> written = this.records.write(topic, 0, 10, "i");
		try (Running app = this.records.read(topic, "--kafka-stream.sources.in.stopping-offsets=latest",
				"--kafka-stream.sources.in.concurrency=3")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> app.pipeline().state() == PipelineState.FINISHED);
			assertThat(app.seen()).containsExactlyElementsOf(written);
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
			await().atMost(Duration.ofSeconds(30)).until(() -> app.pipeline().state() == PipelineState.RUNNING);
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

	/**
	 * Real clients whose consumers fail the first commit that reaches offset {@link #STOP}:
	 * the partition reached its stop, the checkpoint that would make it final fails, and
	 * the worker rolls back below the stop.
	 */
	@Configuration(proxyBeanMethods = false)
	static class FailingFinalCommit {

		static final int STOP = 20;

		final AtomicInteger failed = new AtomicInteger();

		@Bean
		KafkaClients failingFinalCommitClients() {
			KafkaClients standard = KafkaClients.standard();
			return new KafkaClients() {

				@Override
				@SuppressWarnings("unchecked")
				public Consumer<byte[], byte[]> createConsumer(Map<String, Object> config) {
					Consumer<byte[], byte[]> consumer = standard.createConsumer(config);
					return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(BoundedSourceIT.class.getClassLoader(),
							new Class<?>[] { Consumer.class }, (proxy, method, args) -> {
								if (method.getName().equals("commitSync") && args != null
										&& args[0] instanceof Map<?, ?> offsets && reachesStop(offsets)
										&& FailingFinalCommit.this.failed.compareAndSet(0, 1)) {
									throw new KafkaException("forced failure of the commit that reaches the stop");
								}
								try {
									return method.invoke(consumer, args);
								}
								catch (InvocationTargetException ex) {
									throw ex.getTargetException();
								}
							});
				}

				@Override
				public Producer<byte[], byte[]> createProducer(Map<String, Object> config) {
					return standard.createProducer(config);
				}

			};
		}

		private static boolean reachesStop(Map<?, ?> offsets) {
			return offsets.values()
				.stream()
				.anyMatch((offset) -> offset instanceof OffsetAndMetadata committed && committed.offset() >= STOP);
		}

	}

}
