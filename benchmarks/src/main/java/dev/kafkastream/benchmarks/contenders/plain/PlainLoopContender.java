package dev.kafkastream.benchmarks.contenders.plain;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.kafkastream.benchmarks.ContenderSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The hand-written baseline: one thread, one consumer, one producer, default client settings apart from the
 * guarantee. At-least-once flushes the producer and calls {@code commitSync} once per interval; exactly-once runs
 * one transaction per interval and commits the offsets with {@code sendOffsetsToTransaction}.
 */
public final class PlainLoopContender {

	private PlainLoopContender() {
	}

	public static void main(String[] args) throws Exception {
		ContenderSettings settings = ContenderSettings.fromSystemProperties();
		Map<String, Object> consumerConfig = new HashMap<>();
		consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
		consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
		consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		Map<String, Object> producerConfig = new HashMap<>();
		producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
		producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
		producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		if (settings.exactlyOnce()) {
			producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.id());
		}
		CountDownLatch done = new CountDownLatch(1);
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
				new ByteArrayDeserializer());
				KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
						new ByteArraySerializer())) {
			Thread main = Thread.currentThread();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				consumer.wakeup();
				try {
					done.await();
				}
				catch (InterruptedException ex) {
					main.interrupt();
				}
			}));
			new Loop(settings, consumer, producer).run();
		}
		finally {
			done.countDown();
		}
	}

	private static final class Loop {

		private final ContenderSettings settings;

		private final KafkaConsumer<byte[], byte[]> consumer;

		private final KafkaProducer<byte[], byte[]> producer;

		private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();

		private boolean inTransaction;

		Loop(ContenderSettings settings, KafkaConsumer<byte[], byte[]> consumer,
				KafkaProducer<byte[], byte[]> producer) {
			this.settings = settings;
			this.consumer = consumer;
			this.producer = producer;
		}

		void run() {
			if (this.settings.exactlyOnce()) {
				this.producer.initTransactions();
			}
			this.consumer.subscribe(List.of(this.settings.input()));
			long intervalNanos = this.settings.interval().toNanos();
			long lastCommit = System.nanoTime();
			try {
				while (true) {
					ConsumerRecords<byte[], byte[]> records = this.consumer.poll(Duration.ofMillis(100));
					for (ConsumerRecord<byte[], byte[]> record : records) {
						if (this.settings.exactlyOnce() && !this.inTransaction) {
							this.producer.beginTransaction();
							this.inTransaction = true;
						}
						this.producer.send(new ProducerRecord<>(this.settings.output(), null, record.timestamp(),
								record.key(), record.value()));
						this.offsets.put(new TopicPartition(record.topic(), record.partition()),
								new OffsetAndMetadata(record.offset() + 1));
					}
					if (System.nanoTime() - lastCommit >= intervalNanos) {
						commit();
						lastCommit = System.nanoTime();
					}
				}
			}
			catch (WakeupException ex) {
				commit();
			}
		}

		private void commit() {
			if (this.offsets.isEmpty()) {
				return;
			}
			if (this.settings.exactlyOnce()) {
				this.producer.sendOffsetsToTransaction(this.offsets, this.consumer.groupMetadata());
				this.producer.commitTransaction();
				this.inTransaction = false;
			}
			else {
				this.producer.flush();
				this.consumer.commitSync(this.offsets);
			}
			this.offsets.clear();
		}

	}

}
