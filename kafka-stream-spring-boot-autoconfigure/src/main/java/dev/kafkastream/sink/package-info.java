/**
 * Kafka sinks: topic, serialisation, delivery guarantee and transactional ids.
 */
@NullMarked
package dev.kafkastream.sink;

import org.jspecify.annotations.NullMarked;
