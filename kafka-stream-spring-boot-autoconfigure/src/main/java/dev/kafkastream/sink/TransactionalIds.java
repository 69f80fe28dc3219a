package dev.kafkastream.sink;

/**
 * Builds the transactional ids of exactly-once producers:
 * {@code <prefix>-<instance-id>-<source>-<worker>}. The id of a worker is the same at
 * every start of the same instance, so {@code initTransactions()} aborts whatever a
 * crashed incarnation left open.
 */
public final class TransactionalIds {

	private TransactionalIds() {
	}

	/**
	 * The transactional id of one worker.
	 * @param prefix the sink's transactional id prefix
	 * @param instanceId the id of the application instance
	 * @param source the name of the source the worker reads
	 * @param worker the index of the worker in its source
	 * @return the transactional id
	 */
	public static String of(String prefix, String instanceId, String source, int worker) {
		return prefix + "-" + instanceId + "-" + source + "-" + worker;
	}

	/**
	 * The transactional id of the producer application code sends through with a
	 * {@link KafkaStreamSink}: {@code <prefix>-<instance-id>-sink-<sink>}.
	 * @param prefix the sink's transactional id prefix
	 * @param instanceId the id of the application instance
	 * @param sink the name of the sink
	 * @return the transactional id
	 */
	public static String ofSink(String prefix, String instanceId, String sink) {
		return prefix + "-" + instanceId + "-sink-" + sink;
	}

}
