package dev.kafkastream.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The record convention shared by test inputs and {@link ExactlyOnceVerifier}.
 *
 * <ul>
 * <li>Input record number {@code i} (0-based, a {@code long} <em>id</em>) has the String key
 * {@code "key-" + (i % keyCount)} and the String value {@code "<i>"}, e.g. key {@code key-2}, value {@code 17}
 * for {@code i = 17, keyCount = 5}.</li>
 * <li>Input ids are produced in increasing order by one producer, so for every key the ids of that key are in
 * increasing order in the input partition the key maps to (the default partitioner hashes the key).</li>
 * <li>An output record must carry its input id as the prefix of its value, optionally followed by {@code '|'} and
 * any payload: {@code "17"} or {@code "17|whatever the pipeline computed"}. The output key is not inspected;
 * {@link #parseId(String)} parses the id.</li>
 * </ul>
 *
 * <p>Several batches can be produced to one topic with consecutive id ranges
 * ({@link #produce(String, String, long, int, int)}), e.g. ids 0..999 before a crash and 1000..1999 after it.
 */
public final class TestRecords {

	/** Separates the input id from an optional payload in a value. */
	public static final char SEPARATOR = '|';

	private TestRecords() {
	}

	/**
	 * One expected input record.
	 * @param id the 0-based input sequence number
	 * @param key the record key, {@code "key-" + (id % keyCount)}
	 * @param value the record value, {@code String.valueOf(id)}
	 */
	public record Input(long id, String key, String value) {
	}

	/**
	 * The key of input {@code id}.
	 * @param id the input id
	 * @param keyCount number of distinct keys
	 * @return {@code "key-" + (id % keyCount)}
	 */
	public static String key(long id, int keyCount) {
		return "key-" + (id % keyCount);
	}

	/**
	 * The value of input {@code id}.
	 * @param id the input id
	 * @return {@code String.valueOf(id)}
	 */
	public static String value(long id) {
		return String.valueOf(id);
	}

	/**
	 * An output value carrying an input id and a payload.
	 * @param id the input id
	 * @param payload anything (may contain {@code '|'})
	 * @return {@code id + "|" + payload}
	 */
	public static String value(long id, String payload) {
		return id + String.valueOf(SEPARATOR) + payload;
	}

	/**
	 * Parses the input id from a value: the digits before the first {@code '|'} (or the whole value).
	 * @param value an input or output value
	 * @return the id, or empty if the value is {@code null} or does not start with a number
	 */
	public static OptionalLong parseId(String value) {
		if (value == null) {
			return OptionalLong.empty();
		}
		int end = value.indexOf(SEPARATOR);
		String number = (end >= 0) ? value.substring(0, end) : value;
		try {
			return OptionalLong.of(Long.parseLong(number.trim()));
		}
		catch (NumberFormatException ex) {
			return OptionalLong.empty();
		}
	}

	/**
	 * The expected inputs with ids {@code 0 .. count-1}, without producing anything.
	 * @param count number of records
	 * @param keyCount number of distinct keys
	 * @return the inputs in id order
	 */
	public static List<Input> expected(int count, int keyCount) {
		return expected(0, count, keyCount);
	}

	/**
	 * The expected inputs with ids {@code firstId .. firstId+count-1}, without producing anything.
	 * @param firstId first id
	 * @param count number of records
	 * @param keyCount number of distinct keys
	 * @return the inputs in id order
	 */
	public static List<Input> expected(long firstId, int count, int keyCount) {
		if (keyCount <= 0) {
			throw new IllegalArgumentException("keyCount must be positive");
		}
		List<Input> inputs = new ArrayList<>(count);
		for (long id = firstId; id < firstId + count; id++) {
			inputs.add(new Input(id, key(id, keyCount), value(id)));
		}
		return inputs;
	}

	/**
	 * Produces inputs {@code 0 .. count-1} to {@code topic} and waits until all are acknowledged.
	 * @param bootstrapServers the brokers
	 * @param topic the (existing) topic
	 * @param count number of records
	 * @param keyCount number of distinct keys
	 * @return the produced inputs in id order
	 */
	public static List<Input> produce(String bootstrapServers, String topic, int count, int keyCount) {
		return produce(bootstrapServers, topic, 0, count, keyCount);
	}

	/**
	 * Produces inputs {@code firstId .. firstId+count-1} to {@code topic} with one idempotent producer
	 * ({@code acks=all}, batching, String serializers) and waits until all are acknowledged.
	 * @param bootstrapServers the brokers
	 * @param topic the (existing) topic
	 * @param firstId first id
	 * @param count number of records
	 * @param keyCount number of distinct keys
	 * @return the produced inputs in id order
	 */
	public static List<Input> produce(String bootstrapServers, String topic, long firstId, int count, int keyCount) {
		List<Input> inputs = expected(firstId, count, keyCount);
		send(bootstrapServers, topic, inputs);
		return inputs;
	}

	/**
	 * Sends the given records (key and value as given) in order with one idempotent producer and waits until all
	 * are acknowledged. Useful to fabricate output topics in tests.
	 * @param bootstrapServers the brokers
	 * @param topic the (existing) topic
	 * @param records the records
	 */
	public static void send(String bootstrapServers, String topic, List<Input> records) {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(bootstrapServers))) {
			List<Future<RecordMetadata>> futures = new ArrayList<>(records.size());
			for (Input input : records) {
				futures.add(producer.send(new ProducerRecord<>(topic, input.key(), input.value())));
			}
			producer.flush();
			for (Future<RecordMetadata> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Producing to " + topic + " failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Producing to " + topic + " timed out", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The producer settings used by {@link #produce}: idempotent, {@code acks=all}, String serializers, 64 KiB
	 * batches with 5 ms linger, no compression.
	 * @param bootstrapServers the brokers
	 * @return a mutable map of producer properties
	 */
	public static Map<String, Object> producerProperties(String bootstrapServers) {
		Map<String, Object> props = new HashMap<>();
		props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		props.put(ProducerConfig.ACKS_CONFIG, "all");
		props.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
		props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
		props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofSeconds(60).toMillis());
		return props;
	}

}
