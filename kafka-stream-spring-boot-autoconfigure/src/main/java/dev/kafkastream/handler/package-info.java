/**
 * The {@code @KafkaStreamHandler} annotation and the binding of annotated bean methods to pipelines.
 */
@NullMarked
package dev.kafkastream.handler;

import org.jspecify.annotations.NullMarked;
