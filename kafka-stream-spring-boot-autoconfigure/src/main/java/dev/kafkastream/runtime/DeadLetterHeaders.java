package dev.kafkastream.runtime;

/**
 * The headers of a dead letter: spring-kafka's names ({@code KafkaHeaders.DLT_*}),
 * written as its {@code DeadLetterPublishingRecoverer} writes them, so that tools made
 * for spring-kafka's dead letters read these too. The partition is a big-endian 4-byte
 * int, the offset and timestamp big-endian 8-byte longs, everything else UTF-8 text.
 */
final class DeadLetterHeaders {

	/**
	 * The topic the record was read from.
	 */
	static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";

	/**
	 * The partition the record was read from, a 4-byte int.
	 */
	static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";

	/**
	 * The offset of the record, an 8-byte long.
	 */
	static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";

	/**
	 * The timestamp of the record, an 8-byte long.
	 */
	static final String ORIGINAL_TIMESTAMP = "kafka_dlt-original-timestamp";

	/**
	 * The timestamp type of the record ({@code CreateTime} or {@code LogAppendTime}).
	 */
	static final String ORIGINAL_TIMESTAMP_TYPE = "kafka_dlt-original-timestamp-type";

	/**
	 * The consumer group of the source that read the record.
	 */
	static final String ORIGINAL_CONSUMER_GROUP = "kafka_dlt-original-consumer-group";

	/**
	 * The class of the exception, when the value could not be deserialised or the
	 * handler failed.
	 */
	static final String EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";

	/**
	 * The message of the exception, followed by that of its root cause when it has one.
	 */
	static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";

	/**
	 * The stack trace of the exception.
	 */
	static final String EXCEPTION_STACKTRACE = "kafka_dlt-exception-stacktrace";

	/**
	 * The class of the exception when the key could not be deserialised.
	 */
	static final String KEY_EXCEPTION_FQCN = "kafka_dlt-key-exception-fqcn";

	/**
	 * The message of the exception when the key could not be deserialised.
	 */
	static final String KEY_EXCEPTION_MESSAGE = "kafka_dlt-key-exception-message";

	/**
	 * The stack trace of the exception when the key could not be deserialised.
	 */
	static final String KEY_EXCEPTION_STACKTRACE = "kafka_dlt-key-exception-stacktrace";

	/**
	 * The class of the root cause of the exception, the exception's own when it has no
	 * cause.
	 */
	static final String EXCEPTION_CAUSE_FQCN = "kafka_dlt-exception-cause-fqcn";

	/**
	 * The message of the root cause of the exception, when it has one; spring-kafka has
	 * no such header.
	 */
	static final String EXCEPTION_CAUSE_MESSAGE = "kafka_dlt-exception-cause-message";

	private DeadLetterHeaders() {
	}

}
