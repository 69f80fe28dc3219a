package dev.kafkastream.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.sink.KafkaStreamSink;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Application code sends through the {@link KafkaStreamSink} bean of a sink, from several
 * threads at once, with the sink's guarantee: under exactly-once every record is written
 * once and its future completes only when its transaction committed; under at-least-once
 * none is lost.
 */
class StandaloneSinkIT {

	private static final int THREADS = 4;

	private static final int RECORDS = 2_000;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void exactlyOnceFromFourThreadsWithCheckpointsEvery200ms() throws Exception {
		String topic = topic("eos");
		try (ConfigurableApplicationContext context = run(topic, "exactly-once", "200ms")) {
			KafkaStreamSink sink = context.getBean(Sender.class).sink();
			assertThat(sink.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
			CheckpointCoordinator checkpoints = context.getBean(KafkaStreamLifecycle.class).getRuntime().checkpoints();
			// halfway, each thread waits for a checkpoint: its records span transactions
			List<CompletableFuture<RecordMetadata>> sent = sendConcurrently(sink, () -> {
				long completed = checkpoints.counts().completed();
				await().atMost(Duration.ofSeconds(30)).until(() -> checkpoints.counts().completed() > completed);
			});
			try (KafkaConsumer<byte[], byte[]> committed = consumer("read_committed")) {
				// a sample of futures, each checked as soon as it completes
				for (int i = 0; i < RECORDS; i += 97) {
					RecordMetadata metadata = sent.get(i).get(30, TimeUnit.SECONDS);
					assertVisible(committed, metadata, i);
				}
			}
			CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
			assertThat(sent).allSatisfy((future) -> assertThat(future).isCompleted().isNotCompletedExceptionally());
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), topic, TestRecords.expected(RECORDS, THREADS))
				.awaitExactlyOnce(Duration.ofSeconds(60));
		}
	}

	@Test
	void exactlyOnceFutureCompletesOnlyOnceItsTransactionCommitted() throws Exception {
		String topic = topic("eos-commit");
		// checkpoints far apart: the test triggers them
		try (ConfigurableApplicationContext context = run(topic, "exactly-once", "30s",
				"--kafka-stream.checkpoint.timeout=10s", "--kafka-stream.sinks.out.transaction-timeout=2m")) {
			KafkaStreamSink sink = context.getBean(Sender.class).sink();
			CompletableFuture<RecordMetadata> first = sink.send(OutputRecord.of(TestRecords.key(0, 1), "0"));
			try (KafkaConsumer<byte[], byte[]> uncommitted = consumer("read_uncommitted");
					KafkaConsumer<byte[], byte[]> committed = consumer("read_committed")) {
				// the record is in the log, but its transaction is open: no future yet
				List<TopicPartition> partitions = partitions(uncommitted, topic);
				uncommitted.assign(partitions);
				await().atMost(Duration.ofSeconds(30)).until(() -> !uncommitted.poll(Duration.ofMillis(100)).isEmpty());
				assertThat(first).isNotDone();
				committed.assign(partitions);
				committed.seekToBeginning(partitions);
				assertThat(committed.poll(Duration.ofMillis(500))).isEmpty();
				assertThat(first).isNotDone();
				context.getBean(KafkaStreamLifecycle.class).getRuntime().checkpoints().trigger().get(30, TimeUnit.SECONDS);
				assertThat(first).succeedsWithin(Duration.ofSeconds(5));
				assertVisible(committed, first.get(), 0);
			}
			// the final checkpoint on shutdown commits what was sent since the last one
			CompletableFuture<RecordMetadata> last = sink.send(OutputRecord.of(TestRecords.key(1, 1), "1"));
			assertThat(last).isNotDone();
			context.close();
			assertThat(last).succeedsWithin(Duration.ofSeconds(5));
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), topic, TestRecords.expected(2, 1))
				.awaitExactlyOnce(Duration.ofSeconds(30));
			assertThat(sink.send("2")).failsWithin(Duration.ofSeconds(5));
		}
	}

	@Test
	void atLeastOnceFromFourThreads() throws Exception {
		String topic = topic("alo");
		try (ConfigurableApplicationContext context = run(topic, "at-least-once", "200ms")) {
			KafkaStreamSink sink = context.getBean(Sender.class).sink();
			assertThat(sink.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
			List<CompletableFuture<RecordMetadata>> sent = sendConcurrently(sink, () -> {
			});
			CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
			ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), topic, TestRecords.expected(RECORDS, THREADS))
				.awaitAtLeastOnce(Duration.ofSeconds(60));
		}
	}

	/**
	 * Sends records {@code 0 .. RECORDS-1} from {@link #THREADS} threads: thread
	 * {@code t} sends the ids {@code t, t + THREADS, ...} in order, all keyed
	 * {@code key-t}, so each key's records are sent in order by one thread.
	 * @param sink the sink
	 * @param halfway what each thread does when it sent half its records
	 * @return the futures, by id
	 */
	private List<CompletableFuture<RecordMetadata>> sendConcurrently(KafkaStreamSink sink, Runnable halfway)
			throws Exception {
		@SuppressWarnings("unchecked")
		CompletableFuture<RecordMetadata>[] sent = new CompletableFuture[RECORDS];
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		try {
			List<Future<?>> senders = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				int thread = t;
				senders.add(threads.submit(() -> {
					for (int id = thread; id < RECORDS; id += THREADS) {
						if (id / THREADS == RECORDS / THREADS / 2) {
							halfway.run();
						}
						sent[id] = sink.send(OutputRecord.of(TestRecords.key(id, THREADS), TestRecords.value(id)));
					}
				}));
			}
			for (Future<?> sender : senders) {
				sender.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		return List.of(sent);
	}

	private void assertVisible(KafkaConsumer<byte[], byte[]> consumer, RecordMetadata metadata, long id) {
		TopicPartition partition = new TopicPartition(metadata.topic(), metadata.partition());
		consumer.assign(List.of(partition));
		consumer.seek(partition, metadata.offset());
		// transaction markers follow the commit asynchronously: visible soon after
		List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			consumer.poll(Duration.ofMillis(100)).forEach(read::add);
			return !read.isEmpty();
		});
		assertThat(read.get(0).offset()).isEqualTo(metadata.offset());
		assertThat(new String(read.get(0).value(), StandardCharsets.UTF_8)).isEqualTo(TestRecords.value(id));
	}

	private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
		return consumer.partitionsFor(topic)
			.stream()
			.map((info) -> new TopicPartition(info.topic(), info.partition()))
			.toList();
	}

	private KafkaConsumer<byte[], byte[]> consumer(String isolation) {
		Map<String, Object> config = new HashMap<>();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers());
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
	}

	private String topic(String prefix) {
		String topic = KafkaTestBroker.uniqueTopicName("standalone-" + prefix);
		this.kafka.createTopic(topic, 3);
		return topic;
	}

	private ConfigurableApplicationContext run(String topic, String guarantee, String interval, String... more) {
		List<String> arguments = new ArrayList<>(List.of("--kafka-stream.bootstrap-servers=" + this.kafka.bootstrapServers(),
				"--kafka-stream.instance-id=" + topic, "--kafka-stream.checkpoint.interval=" + interval,
				"--kafka-stream.sinks.out.topic=" + topic, "--kafka-stream.sinks.out.delivery-guarantee=" + guarantee,
				"--kafka-stream.sinks.out.transactional-id-prefix=" + topic));
		arguments.addAll(List.of(more));
		return new SpringApplicationBuilder(SenderApplication.class).web(WebApplicationType.NONE)
			.run(arguments.toArray(String[]::new));
	}

	/**
	 * What application code looks like: a bean injected with the sink.
	 */
	record Sender(KafkaStreamSink sink) {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SenderApplication {

		@Bean
		Sender sender(@Qualifier("out") KafkaStreamSink sink) {
			return new Sender(sink);
		}

	}

}
