package dev.kafkastream.core;

/**
 * How a sink's output relates to the offsets committed by a checkpoint, as in Flink's
 * {@code DeliveryGuarantee}.
 */
public enum DeliveryGuarantee {

	/**
	 * Offsets are committed without waiting for the producer: records may be lost or
	 * duplicated after a failure.
	 */
	NONE,

	/**
	 * The producer is flushed before offsets are committed: nothing is lost, records may
	 * be duplicated after a failure.
	 */
	AT_LEAST_ONCE,

	/**
	 * Output and offsets are committed in one Kafka transaction per checkpoint: every
	 * input record is reflected exactly once in the output seen by
	 * {@code read_committed} consumers.
	 */
	EXACTLY_ONCE

}
