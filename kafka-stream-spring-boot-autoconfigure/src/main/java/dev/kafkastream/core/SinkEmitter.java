package dev.kafkastream.core;

import org.jspecify.annotations.Nullable;

/**
 * Writes to the sinks of a pipeline by name. A handler method that takes a parameter of
 * this type may write to its default sink and to every sink listed in
 * {@code @KafkaStreamHandler(sinks = ...)}, as many records as it likes, in addition to
 * what it returns. All sinks of a pipeline share the worker's producer, so under
 * exactly-once what is emitted to every sink commits in the same transaction as the
 * source offsets.
 * <p>
 * What is emitted is written only once the handler returns normally: a call that throws
 * (and is retried, skipped or dead-lettered) writes nothing. The emitter is only valid
 * during the call it was passed to.
 *
 * <pre class="code">
 * &#64;KafkaStreamHandler(source = "orders", sink = "audit", sinks = { "paid", "refused" })
 * Audit route(Order order, SinkEmitter emitter) {
 *     emitter.emit(order.paid() ? "paid" : "refused", order);
 *     return new Audit(order);
 * }
 * </pre>
 */
@FunctionalInterface
public interface SinkEmitter {

	/**
	 * Sends a value to a sink, keyed by the input record's key and stamped with its
	 * timestamp (as the sink's settings say).
	 * @param sink the name of the sink, a key of {@code kafka-stream.sinks} named by the
	 * handler
	 * @param value the value, serialised by the sink; {@code null} writes a tombstone; an
	 * {@link OutputRecord} sets the key, headers, topic or timestamp of the record too
	 * @throws IllegalArgumentException if the pipeline has no sink of that name
	 */
	void emit(String sink, @Nullable Object value);

}
