package dev.kafkastream.source;

/**
 * Where a source starts reading a partition that has no checkpoint (no committed offset
 * for the source's group). A partition with a checkpoint always resumes from it, so a
 * restart never replays or skips data.
 */
public interface StartingOffsets {

	/**
	 * Start partitions without a checkpoint at their earliest offset.
	 * @return the strategy
	 */
	static StartingOffsets earliest() {
		return ResetStartingOffsets.EARLIEST;
	}

	/**
	 * Start partitions without a checkpoint at their latest offset.
	 * @return the strategy
	 */
	static StartingOffsets latest() {
		return ResetStartingOffsets.LATEST;
	}

	/**
	 * The value of the consumer's {@code auto.offset.reset} that implements this strategy.
	 * @return the reset policy name
	 */
	String autoOffsetReset();

}
