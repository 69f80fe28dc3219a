package dev.kafkastream.checkpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * What is known about one checkpoint.
 *
 * @param id the checkpoint id, increasing across restarts
 * @param triggerTime when the checkpoint was triggered
 * @param duration how long it took, or {@code null} while in progress
 * @param state the state
 * @param offsets the committed offsets (the next offset to read) of every partition
 * acknowledged so far
 * @param failure why it failed, or {@code null}
 */
public record CheckpointRecord(long id, Instant triggerTime, @Nullable Duration duration, CheckpointState state,
		Map<TopicPartition, Long> offsets, @Nullable String failure) {

	public CheckpointRecord {
		offsets = Map.copyOf(offsets);
	}

}
