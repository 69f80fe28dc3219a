/**
 * Pipelines, their workers and the poll loop that ties sources, handlers, sinks and checkpoints together.
 */
@NullMarked
package dev.kafkastream.runtime;

import org.jspecify.annotations.NullMarked;
