package dev.kafkastream.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the parameter of a {@link KafkaStreamHandler} method that receives the record's
 * key, deserialised to the parameter's type. The type chooses the source's key format
 * unless {@code kafka-stream.sources.<source>.key-format} is set. A record without a key
 * passes {@code null}.
 *
 * <pre class="code">
 * &#64;KafkaStreamHandler(source = "orders", sink = "enriched")
 * EnrichedOrder enrich(&#64;RecordKey String customerId, Order order) { ... }
 * </pre>
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RecordKey {

}
