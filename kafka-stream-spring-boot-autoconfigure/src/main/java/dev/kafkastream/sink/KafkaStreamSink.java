package dev.kafkastream.sink;

import java.util.concurrent.CompletableFuture;

import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.core.OutputRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * A configured sink that application code (a REST controller, a scheduler) sends records
 * through, with the sink's serialisers, partitioner, topic selector and delivery
 * guarantee. Sends go through a producer of their own, not through the producers of the
 * pipelines writing to the same sink. Safe for use by many threads at once.
 * <p>
 * The returned future says when the record is durable:
 * <ul>
 * <li>{@link DeliveryGuarantee#EXACTLY_ONCE exactly-once}: records join an open
 * transaction that commits with the next checkpoint; the future completes once it
 * committed, when the record is visible to {@code read_committed} readers, and fails
 * when the transaction was aborted.</li>
 * <li>{@link DeliveryGuarantee#AT_LEAST_ONCE at-least-once}: the future completes when
 * the broker acknowledged the record; checkpoints also flush the producer.</li>
 * <li>{@link DeliveryGuarantee#NONE none}: the future completes when the broker
 * acknowledged the record.</li>
 * </ul>
 * Sending fails (the future fails with an {@link IllegalStateException}) unless the
 * runtime is running.
 */
public interface KafkaStreamSink {

	/**
	 * The name of the sink, as configured under {@code kafka-stream.sinks}.
	 * @return the name
	 */
	String name();

	/**
	 * The delivery guarantee of the sink.
	 * @return the delivery guarantee
	 */
	DeliveryGuarantee deliveryGuarantee();

	/**
	 * Sends a value, without key, to the sink's topic (or the one its topic selector
	 * chooses).
	 * @param value the value, serialised by the sink's value serialiser
	 * @return the metadata of the written record, once it is durable as the sink's
	 * guarantee says
	 */
	CompletableFuture<RecordMetadata> send(@Nullable Object value);

	/**
	 * Sends a record that may set key, headers, topic and timestamp.
	 * @param record the record
	 * @return the metadata of the written record, once it is durable as the sink's
	 * guarantee says
	 */
	CompletableFuture<RecordMetadata> send(OutputRecord<?, ?> record);

}
