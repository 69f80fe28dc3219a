/**
 * The checkpoint coordinator and the history of checkpoints.
 */
@NullMarked
package dev.kafkastream.checkpoint;

import org.jspecify.annotations.NullMarked;
