/**
 * Micrometer Observation of handler calls: each call is an observation that continues the
 * trace of its input record, and the records written for it carry its trace context.
 */
@NullMarked
package dev.kafkastream.observation;

import org.jspecify.annotations.NullMarked;
