package dev.kafkastream.source;

/**
 * Starting offsets implemented by the consumer's own reset policy.
 */
enum ResetStartingOffsets implements StartingOffsets {

	EARLIEST("earliest"), LATEST("latest");

	private final String policy;

	ResetStartingOffsets(String policy) {
		this.policy = policy;
	}

	@Override
	public String autoOffsetReset() {
		return this.policy;
	}

	@Override
	public String toString() {
		return this.policy;
	}

}
