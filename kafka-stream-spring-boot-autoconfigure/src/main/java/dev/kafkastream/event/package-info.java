/**
 * Spring application events for checkpoints and source state changes.
 */
@NullMarked
package dev.kafkastream.event;

import org.jspecify.annotations.NullMarked;
