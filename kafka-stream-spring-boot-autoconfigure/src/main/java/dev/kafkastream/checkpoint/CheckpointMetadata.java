package dev.kafkastream.checkpoint;

import org.jspecify.annotations.Nullable;

/**
 * Writes and reads what the metadata of committed offsets carries: the checkpoint id, so
 * the checkpoint ids continue where they were after a restart, and for a source with
 * stopping offsets the partition's stop, so every owner of the partition in the consumer
 * group stops at the same offset. Metadata written before stops were kept
 * ({@code kafka-stream:checkpoint=<id>}) reads as a checkpoint id without a stop.
 */
public final class CheckpointMetadata {

	private static final String PREFIX = "kafka-stream:checkpoint=";

	private static final String RUN = ";run=";

	private static final String STOP = ";stop=";

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
	 * The offset metadata for a commit made by a checkpoint of a source with stopping
	 * offsets.
	 * @param checkpointId the checkpoint id
	 * @param stop the stop of the partition
	 * @return the metadata
	 */
	public static String of(long checkpointId, Stop stop) {
		return PREFIX + checkpointId + RUN + stop.run() + STOP + stop.offset();
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
		int end = metadata.indexOf(';', PREFIX.length());
		return parse(metadata.substring(PREFIX.length(), (end >= 0) ? end : metadata.length()));
	}

	/**
	 * The stop in the metadata of a committed offset.
	 * @param metadata the offset metadata, may be {@code null}
	 * @return the stop, or {@code null} when the metadata carries none
	 */
	public static @Nullable Stop stop(@Nullable String metadata) {
		if (metadata == null || !metadata.startsWith(PREFIX)) {
			return null;
		}
		long run = field(metadata, RUN);
		long offset = field(metadata, STOP);
		return (run > 0 && offset >= 0) ? new Stop(run, offset) : null;
	}

	private static long field(String metadata, String name) {
		int start = metadata.indexOf(name);
		if (start < 0) {
			return -1;
		}
		start += name.length();
		int end = metadata.indexOf(';', start);
		return parse(metadata.substring(start, (end >= 0) ? end : metadata.length()));
	}

	private static long parse(String number) {
		try {
			return Long.parseLong(number);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * Where a partition stops in one run of a bounded source's consumer group. Runs are
	 * numbered from 1: a run is over when every partition reached its stop, and the next
	 * run fixes the stops again.
	 *
	 * @param run the run the stop was fixed for
	 * @param offset the first offset not to read
	 */
	public record Stop(long run, long offset) {

	}

}
