package dev.kafkastream.source;

/**
 * Where a partition without a checkpoint starts when no other starting offset applies.
 */
public enum OffsetResetStrategy {

	/**
	 * At its earliest offset.
	 */
	EARLIEST,

	/**
	 * At its latest offset.
	 */
	LATEST,

	/**
	 * Nowhere: the source fails, naming the partition.
	 */
	NONE

}
