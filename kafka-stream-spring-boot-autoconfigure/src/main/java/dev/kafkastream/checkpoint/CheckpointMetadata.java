package dev.kafkastream.checkpoint;

import org.jspecify.annotations.Nullable;

/**
 * Writes and reads the checkpoint id carried in the metadata of committed offsets, so the
 * checkpoint ids continue where they were after a restart.
 */
public final class CheckpointMetadata {

	private static final String PREFIX = "kafka-stream:checkpoint=";

	private CheckpointMetadata() {
	}

	/**
	 * The offset metadata for a commit made by a checkpoint.
	 * @param checkpointId the checkpoint id
	 * @return the metadata
	 */
	public static String of(long checkpointId) {
		return PREFIX + checkpointId;
	}

	/**
	 * The checkpoint id in the metadata of a committed offset.
	 * @param metadata the offset metadata, may be {@code null}
	 * @return the checkpoint id, or {@code -1} when the metadata carries none
	 */
	public static long checkpointId(@Nullable String metadata) {
		if (metadata == null || !metadata.startsWith(PREFIX)) {
			return -1;
		}
		try {
			return Long.parseLong(metadata.substring(PREFIX.length()));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

}
