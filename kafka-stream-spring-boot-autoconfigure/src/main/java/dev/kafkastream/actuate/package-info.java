/**
 * Actuator endpoint and health indicator for kafka-stream pipelines.
 */
@NullMarked
package dev.kafkastream.actuate;

import org.jspecify.annotations.NullMarked;
