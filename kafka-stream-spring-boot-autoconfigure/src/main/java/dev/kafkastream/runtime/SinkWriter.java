package dev.kafkastream.runtime;

import java.time.Instant;
import java.util.List;

import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.sink.SinkPartitioner;
import dev.kafkastream.sink.TopicSelector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Turns what a handler emits into a producer record for one sink, as Flink's
 * {@code KafkaRecordSerializationSchema} does, and hands it to the worker's producer:
 * topic (the record's, the topic selector's, or the sink's), key (the one an
 * {@link OutputRecord} sets, serialised, else the input record's key bytes unchanged),
 * value, headers, partition and timestamp. One writer serves one worker, or every
 * application thread sending through a {@link StandaloneSink}: {@link #standaloneRecord}
 * is safe for concurrent use.
 */
final class SinkWriter {

	private final KafkaSinkSpec sink;

	private final @Nullable String defaultTopic;

	private final @Nullable TopicSelector topicSelector;

	private final @Nullable SinkPartitioner partitioner;

	private final boolean writeTimestamp;

	private final boolean copyHeaders;

	private final Serializer<Object> keySerializer;

	private final Serializer<Object> valueSerializer;

	private final int workerIndex;

	private final SendFailure sendFailure;

	private final PartitionCounts partitionCounts = new PartitionCounts();

	// counted on the worker's thread without synchronisation, published by publish()

	private long recordsOut;

	private long bytesOut;

	private volatile WorkerStatus.SinkCounts published;

	/** The headers of the record {@link #write} is building; emptied after each. */
	private final ReusableHeaders headers = new ReusableHeaders();

	SinkWriter(KafkaSinkSpec sink, int workerIndex, SendFailure sendFailure) {
		this.sink = sink;
		this.defaultTopic = sink.topic();
		this.topicSelector = sink.topicSelector();
		this.partitioner = sink.partitioner();
		this.writeTimestamp = sink.writeTimestamp();
		this.copyHeaders = sink.copyHeaders();
		this.keySerializer = sink.keySerializer();
		this.valueSerializer = sink.valueSerializer();
		this.workerIndex = workerIndex;
		this.sendFailure = sendFailure;
		this.published = new WorkerStatus.SinkCounts(sink.name(), 0, 0, null);
	}

	KafkaSinkSpec sink() {
		return this.sink;
	}

	/**
	 * Sends what the handler emitted for an input record.
	 * @param producer the producer
	 * @param input the input record as it was read
	 * @param inputKey the deserialised key of the input record
	 * @param emitted a value, or an {@link OutputRecord}
	 * @param call the observed handler call that emitted it, which adds its headers, or
	 * {@code null}
	 */
	void write(Producer<byte[], byte[]> producer, ConsumerRecord<byte[], byte[]> input, @Nullable Object inputKey,
			@Nullable Object emitted, HandlerObserver.@Nullable Call call) {
		OutputRecord<?, ?> record = (emitted instanceof OutputRecord<?, ?> output) ? output : null;
		Object value = (record != null) ? record.value() : emitted;
		boolean keySet = record != null && record.hasKey();
		Object key = keySet ? record.key() : inputKey;
		String topic = topic(record, key, value);
		ReusableHeaders headers = this.headers;
		try {
			fillHeaders(headers, input, record);
			if (call != null) {
				call.addHeaders(headers);
			}
			byte[] serializedKey = keySet ? ((key != null) ? this.keySerializer.serialize(topic, headers, key) : null)
					: input.key();
			byte[] serializedValue = (value != null) ? this.valueSerializer.serialize(topic, headers, value) : null;
			Integer partition = (this.partitioner != null) ? partition(this.partitioner, producer, topic, key, value)
					: null;
			this.recordsOut++;
			this.bytesOut += ((serializedKey != null) ? serializedKey.length : 0)
					+ ((serializedValue != null) ? serializedValue.length : 0);
			// the producer record copies the headers, or makes empty ones itself
			producer.send(new ProducerRecord<>(topic, partition, timestamp(input, record), serializedKey,
					serializedValue, headers.isEmpty() ? null : headers), this.sendFailure.sending());
		}
		finally {
			headers.clear();
		}
	}

	/**
	 * Makes the counts of {@link #write} so far visible to {@link #counts()}. Called by the
	 * worker's thread at the end of each batch.
	 * @param now the time, for the last send when records were written since the last
	 * call
	 */
	void publish(Instant now) {
		WorkerStatus.SinkCounts last = this.published;
		if (last.recordsOut() != this.recordsOut) {
			this.published = new WorkerStatus.SinkCounts(this.sink.name(), this.recordsOut, this.bytesOut, now);
		}
	}

	/**
	 * What {@link #write} wrote, as of the last {@link #publish}.
	 * @return the counts
	 */
	WorkerStatus.SinkCounts counts() {
		return this.published;
	}

	/**
	 * Builds the producer record for something application code sends outside any
	 * pipeline: there is no input record, so the key is {@code null} unless the
	 * {@link OutputRecord} sets one, no header is copied and the producer stamps the
	 * record unless the {@link OutputRecord} sets a timestamp.
	 * @param producer the producer, asked for partition counts
	 * @param emitted a value, or an {@link OutputRecord}
	 * @return the producer record
	 */
	ProducerRecord<byte[], byte[]> standaloneRecord(Producer<byte[], byte[]> producer, @Nullable Object emitted) {
		OutputRecord<?, ?> record = (emitted instanceof OutputRecord<?, ?> output) ? output : null;
		Object value = (record != null) ? record.value() : emitted;
		Object key = (record != null) ? record.key() : null;
		String topic = topic(record, key, value);
		Headers headers = new RecordHeaders();
		fillHeaders(headers, null, record);
		byte[] serializedKey = (key != null) ? this.keySerializer.serialize(topic, headers, key) : null;
		byte[] serializedValue = (value != null) ? this.valueSerializer.serialize(topic, headers, value) : null;
		Integer partition = (this.partitioner != null) ? partition(this.partitioner, producer, topic, key, value)
				: null;
		return new ProducerRecord<>(topic, partition, timestamp(null, record), serializedKey, serializedValue,
				headers);
	}

	private String topic(@Nullable OutputRecord<?, ?> record, @Nullable Object key, @Nullable Object value) {
		String topic = (record != null) ? record.topic() : null;
		if (topic == null && this.topicSelector != null) {
			topic = this.topicSelector.topic(key, value);
		}
		if (topic == null) {
			topic = this.defaultTopic;
		}
		if (topic == null || topic.isEmpty()) {
			throw new IllegalStateException("Sink '" + this.sink.name() + "' has no topic for a record: its topic"
					+ " selector " + this.topicSelector + " chose none");
		}
		return topic;
	}

	private void fillHeaders(Headers headers, @Nullable ConsumerRecord<byte[], byte[]> input,
			@Nullable OutputRecord<?, ?> record) {
		if (this.copyHeaders && input != null) {
			for (Header header : input.headers()) {
				headers.add(header);
			}
		}
		if (record != null) {
			List<Header> set = record.headers();
			if (this.copyHeaders) {
				// a header the handler sets replaces the input's headers of that name
				for (int i = 0; i < set.size(); i++) {
					headers.remove(set.get(i).key());
				}
			}
			for (int i = 0; i < set.size(); i++) {
				headers.add(set.get(i));
			}
		}
	}

	private @Nullable Integer partition(SinkPartitioner partitioner, Producer<byte[], byte[]> producer, String topic,
			@Nullable Object key, @Nullable Object value) {
		int count = this.partitionCounts.count(producer, topic);
		int partition = partitioner.partition(topic, key, value, this.workerIndex, count);
		if (partition == SinkPartitioner.ANY_PARTITION) {
			return null;
		}
		if (partition < 0 || partition >= count) {
			throw new IllegalStateException("Partitioner " + partitioner + " of sink '" + this.sink.name()
					+ "' chose partition " + partition + " of topic '" + topic + "', which has " + count
					+ " partitions");
		}
		return partition;
	}

	private @Nullable Long timestamp(@Nullable ConsumerRecord<byte[], byte[]> input,
			@Nullable OutputRecord<?, ?> record) {
		Long timestamp = (record != null) ? record.timestamp() : null;
		if (timestamp != null) {
			return timestamp;
		}
		return (this.writeTimestamp && input != null && input.timestamp() != RecordBatch.NO_TIMESTAMP)
				? input.timestamp() : null;
	}

}
