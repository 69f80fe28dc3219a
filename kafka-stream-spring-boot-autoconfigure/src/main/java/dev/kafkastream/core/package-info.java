/**
 * Record model, delivery guarantees and exceptions shared by every part of kafka-stream.
 */
@NullMarked
package dev.kafkastream.core;

import org.jspecify.annotations.NullMarked;
