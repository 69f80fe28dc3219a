package dev.kafkastream.sink;

import org.jspecify.annotations.Nullable;

/**
 * Chooses the topic of each record a sink writes, like the topic selector of Flink's
 * {@code KafkaRecordSerializationSchema}. Called on the writing worker's thread for every
 * record, so it should be quick, and shared by every worker, so it must be thread-safe.
 * An {@link dev.kafkastream.core.OutputRecord OutputRecord} that names its topic is not
 * passed to the selector.
 */
@FunctionalInterface
public interface TopicSelector {

	/**
	 * The topic of a record.
	 * @param key the key as the handler set it in an
	 * {@link dev.kafkastream.core.OutputRecord OutputRecord}, else the key of the input
	 * record as the source deserialises it (a {@code byte[]} unless the source has a key
	 * format or deserializer, or the handler takes the key)
	 * @param value the value, before serialisation
	 * @return the topic, or {@code null} for the sink's topic (the record fails when the
	 * sink has none)
	 */
	@Nullable String topic(@Nullable Object key, @Nullable Object value);

}
