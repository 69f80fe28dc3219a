package dev.kafkastream.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.kafkastream.it.RecordingApplication.Seen;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes records to chosen partitions with chosen timestamps, and reads back what a group
 * committed, for the source tests.
 */
final class SourceRecords {

	private final String bootstrapServers;

	private final Admin admin;

	private final KafkaTestBroker kafka;

	SourceRecords(KafkaTestBroker kafka) {
		this.kafka = kafka;
		this.bootstrapServers = kafka.bootstrapServers();
		this.admin = kafka.admin();
	}

	/**
	 * Creates a topic whose name no other test uses. It keeps its records whatever their
	 * timestamps: tests write records stamped in the past, which the broker's retention
	 * check (every 5 minutes) would otherwise delete under a test's feet.
	 * @param name the start of the name
	 * @param partitions the number of partitions
	 * @return the topic
	 */
	String newTopic(String name, int partitions) {
		String topic = KafkaTestBroker.uniqueTopicName(name);
		this.kafka.createTopic(topic, partitions, Map.of("retention.ms", "-1"));
		return topic;
	}

	/**
	 * Runs a recording application reading a topic, in a group named like the topic.
	 * @param topic the topic
	 * @param arguments further arguments
	 * @return the running application
	 */
	RecordingApplication.Running read(String topic, String... arguments) {
		List<String> all = new ArrayList<>(List.of("--kafka-stream.sources.in.topics=" + topic));
		all.addAll(List.of(arguments));
		return RecordingApplication.run(this.bootstrapServers, topic, all.toArray(String[]::new));
	}

	/**
	 * Writes {@code count} records to one partition, values {@code <prefix>-<i>}, with
	 * timestamps {@code firstTimestamp + i * step}.
	 * @return where each record landed, in order
	 */
	List<Seen> write(String topic, int partition, int count, String prefix, long firstTimestamp, long step) {
		List<Seen> written = new ArrayList<>();
		try (KafkaProducer<String, String> producer = producer(Map.of())) {
			for (int i = 0; i < count; i++) {
				String value = prefix + "-" + i;
				RecordMetadata metadata = send(producer,
						new ProducerRecord<>(topic, partition, firstTimestamp + i * step, "k" + i, value));
				written.add(new Seen(topic, partition, metadata.offset(), value));
			}
		}
		return written;
	}

	List<Seen> write(String topic, int partition, int count, String prefix) {
		return write(topic, partition, count, prefix, System.currentTimeMillis(), 0);
	}

	/**
	 * Writes records in one transaction, committed or aborted.
	 * @return where each record landed
	 */
	List<Seen> writeTransaction(String topic, int partition, int count, String prefix, boolean commit) {
		List<Seen> written = new ArrayList<>();
		try (KafkaProducer<String, String> producer = producer(
				Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-" + prefix + "-writer"))) {
			producer.initTransactions();
			producer.beginTransaction();
			for (int i = 0; i < count; i++) {
				String value = prefix + "-" + i;
				RecordMetadata metadata = send(producer, new ProducerRecord<>(topic, partition, "k" + i, value));
				written.add(new Seen(topic, partition, metadata.offset(), value));
			}
			if (commit) {
				producer.commitTransaction();
			}
			else {
				producer.abortTransaction();
			}
		}
		return written;
	}

	Map<TopicPartition, Long> committed(String group) throws Exception {
		return TopicContent.committedOffsets(this.admin, group);
	}

	Map<TopicPartition, Long> logEnd(String topic, int partitions) throws Exception {
		Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
		for (int i = 0; i < partitions; i++) {
			latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
		}
		return this.admin.listOffsets(latest)
			.all()
			.get()
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
	}

	private KafkaProducer<String, String> producer(Map<String, Object> extra) {
		Map<String, Object> config = new HashMap<>(TestRecords.producerProperties(this.bootstrapServers));
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		config.putAll(extra);
		return new KafkaProducer<>(config);
	}

	private static RecordMetadata send(KafkaProducer<String, String> producer, ProducerRecord<String, String> record) {
		try {
			return producer.send(record).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not write " + record, ex);
		}
	}

}
