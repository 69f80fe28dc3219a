/**
 * Auto-configuration and configuration properties for kafka-stream.
 */
@NullMarked
package dev.kafkastream.autoconfigure;

import org.jspecify.annotations.NullMarked;
