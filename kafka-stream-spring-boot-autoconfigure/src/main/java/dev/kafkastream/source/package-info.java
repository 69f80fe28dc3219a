/**
 * Kafka sources: subscription, starting offsets and deserialisation.
 */
@NullMarked
package dev.kafkastream.source;

import org.jspecify.annotations.NullMarked;
