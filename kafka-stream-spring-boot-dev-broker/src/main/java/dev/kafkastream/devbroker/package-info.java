/**
 * Development broker: a single-node KRaft Kafka broker started in the application's JVM
 * when no bootstrap servers are configured.
 */
@NullMarked
package dev.kafkastream.devbroker;

import org.jspecify.annotations.NullMarked;
