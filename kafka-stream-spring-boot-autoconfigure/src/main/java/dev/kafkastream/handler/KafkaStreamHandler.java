package dev.kafkastream.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a bean method as the handler of a source configured under
 * {@code kafka-stream.sources.<source>}. The method is called once per record, in order
 * per partition. It takes, in any order and at least one of: the record's value
 * (deserialised to the parameter's type), its key (the parameter annotated with
 * {@link RecordKey @RecordKey}), its {@link org.apache.kafka.common.header.Headers}, a
 * {@link dev.kafkastream.core.RecordContext} with its topic, partition, offset and
 * timestamp, the whole {@link org.apache.kafka.clients.consumer.ConsumerRecord}, and a
 * {@link dev.kafkastream.core.SinkEmitter} to write to the {@link #sinks() additional
 * sinks} (and the default sink) by name. It
 * returns what to write to the sink configured under {@code kafka-stream.sinks.<sink>}: one
 * value, {@code null} (or {@code void}) to write nothing, or an {@link Iterable} or
 * {@link java.util.stream.Stream} to write many. Output records keep the input record's
 * key, so per-key order survives the pipeline.
 *
 * <pre class="code">
 * &#64;KafkaStreamHandler(source = "orders", sink = "enriched")
 * EnrichedOrder enrich(Order order) { ... }
 * </pre>
 *
 * <p>With {@link #batch() batch = true} the method takes the records of a partition
 * together instead: a {@code List} of values, or a {@code List} of {@code ConsumerRecord},
 * and returns a {@code List} (or another {@code Iterable} or a {@code Stream}) of outputs,
 * or nothing.
 *
 * <p>Ahead-of-time processing registers the reflection hints a native image needs to
 * invoke the method and to bind its key, value and output types to and from JSON (see
 * {@code docs/aot.md}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(KafkaStreamHandlerReflectiveProcessor.class)
public @interface KafkaStreamHandler {

	/**
	 * The name of the source, a key of {@code kafka-stream.sources}.
	 * @return the source name
	 */
	String source();

	/**
	 * The name of the sink, a key of {@code kafka-stream.sinks}, or empty for a handler
	 * that writes nothing.
	 * @return the sink name
	 */
	String sink() default "";

	/**
	 * The names of additional sinks, keys of {@code kafka-stream.sinks}, the method writes
	 * to through its {@link dev.kafkastream.core.SinkEmitter} parameter. The emitter may
	 * write to the {@link #sink() default sink} too; naming it here as well changes
	 * nothing. A method that names sinks here must take a {@code SinkEmitter}, and one
	 * that takes a {@code SinkEmitter} must name sinks here. Every sink of a handler shares
	 * the worker's producer and transaction: they must have the same delivery guarantee,
	 * and the producer is configured by the default sink, else by the first sink listed
	 * here.
	 * @return the names of the additional sinks
	 */
	String[] sinks() default {};

	/**
	 * Whether the method takes the records of a partition in batches rather than one at a
	 * time: the records one poll read from a partition, in offset order, as its one
	 * {@code List<T>} parameter (each value deserialised to {@code T}) or
	 * {@code List<ConsumerRecord<K, V>>} parameter, besides an optional
	 * {@link dev.kafkastream.core.SinkEmitter}. It returns a {@code List} (or another
	 * {@code Iterable} or a {@code Stream}) of outputs, or {@code void}. A returned
	 * {@code Collection} with one element per input record maps them one to one: each
	 * output keeps its input record's key and timestamp, so per-key order survives;
	 * otherwise, and for what the emitter writes, an output has no key and the timestamp of
	 * the batch's last record, unless it is an {@link dev.kafkastream.core.OutputRecord}
	 * that sets them. Checkpoints are taken between batches. A
	 * {@link dev.kafkastream.core.BatchRecordFailedException} thrown by the method names
	 * the record it failed on, for the source's handler error policy; anything else it
	 * throws fails the whole batch. Without this attribute a {@code List} parameter
	 * receives one record's value, such as a JSON array.
	 * @return whether the method takes records in batches
	 */
	boolean batch() default false;

}
