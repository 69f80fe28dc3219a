package dev.kafkastream.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.sink.KafkaSinkSpec;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PartitionCounts}: the count of each topic, also when application
 * threads share one, as they share the {@link SinkWriter} of a {@link StandaloneSink}.
 */
class PartitionCountsTests {

	private static final Node NODE = new Node(0, "localhost", 9092);

	private static final int TOPICS = 4;

	private final MockProducer<byte[], byte[]> producer = new MockProducer<>(cluster(), true, null,
			new ByteArraySerializer(), new ByteArraySerializer());

	@Test
	void countsEachTopic() {
		PartitionCounts counts = new PartitionCounts();
		assertThat(counts.count(this.producer, "t1")).isEqualTo(1);
		assertThat(counts.count(this.producer, "t3")).isEqualTo(3);
		assertThat(counts.count(this.producer, "t3")).isEqualTo(3);
		assertThat(counts.count(this.producer, "t1")).isEqualTo(1);
	}

	/**
	 * Application threads send through a standalone sink at once, to topics of
	 * different sizes: the partitioner of each record must be told the partition count of
	 * that record's topic, never another topic's.
	 */
	@Test
	void threadsSharingAStandaloneSinkWriterEachGetTheCountOfTheirTopic() throws Exception {
		KafkaSinkSpec sink = KafkaSinkSpec.builder()
			.name("out")
			.topicSelector((key, value) -> (String) value)
			.deliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
			.keySerializer(new StringSerializer())
			.valueSerializer(new StringSerializer())
			// the last partition: a count of another topic shows as a wrong partition
			.partitioner((topic, key, value, worker, count) -> count - 1)
			.build();
		SinkWriter shared = new SinkWriter(sink, 0, new SendFailure());
		int threads = 4;
		int recordsPerThread = 1_000_000;
		AtomicReference<String> wrong = new AtomicReference<>();
		AtomicInteger wrongCount = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> senders = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				senders.add(executor.submit(() -> {
					for (int i = 0; i < recordsPerThread && wrong.get() == null; i++) {
						String topic = "t" + (1 + (i + thread) % TOPICS);
						ProducerRecord<byte[], byte[]> record = shared.standaloneRecord(this.producer, topic);
						int expected = partitions(topic) - 1;
						if (record.partition() != expected) {
							wrongCount.incrementAndGet();
							wrong.compareAndSet(null, "record " + i + " of thread " + thread + " to " + topic
									+ " went to partition " + record.partition() + ", expected " + expected);
						}
					}
				}));
			}
			for (Future<?> sender : senders) {
				sender.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(wrong.get()).as("records partitioned with another topic's count: %s", wrongCount.get()).isNull();
	}

	private static int partitions(String topic) {
		return Integer.parseInt(topic.substring(1));
	}

	private static Cluster cluster() {
		List<PartitionInfo> partitions = new ArrayList<>();
		for (int topic = 1; topic <= TOPICS; topic++) {
			for (int partition = 0; partition < topic; partition++) {
				partitions.add(new PartitionInfo("t" + topic, partition, NODE, new Node[] { NODE },
						new Node[] { NODE }));
			}
		}
		return new Cluster("c", List.of(NODE), partitions, Set.of(), Set.of());
	}

}
