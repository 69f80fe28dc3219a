package dev.kafkastream.observation;

import java.nio.charset.StandardCharsets;

import io.micrometer.observation.transport.ReceiverContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/**
 * The context of the observation of one handler call: the input record, whose headers
 * carry the trace context the call continues, and the source that read it.
 */
public class KafkaStreamHandlerContext extends ReceiverContext<ConsumerRecord<?, ?>> {

	private final String source;

	private final @Nullable String groupId;

	/**
	 * Creates the context of a call.
	 * @param record the record the handler is called on
	 * @param source the name of the source that read it
	 * @param groupId the group id of the source, or {@code null}
	 */
	public KafkaStreamHandlerContext(ConsumerRecord<?, ?> record, String source, @Nullable String groupId) {
		super(KafkaStreamHandlerContext::lastHeader);
		setCarrier(record);
		setRemoteServiceName("Apache Kafka");
		this.source = source;
		this.groupId = groupId;
	}

	private static @Nullable String lastHeader(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	/**
	 * The record the handler is called on.
	 * @return the record
	 */
	public ConsumerRecord<?, ?> getRecord() {
		ConsumerRecord<?, ?> record = getCarrier();
		if (record == null) {
			throw new IllegalStateException("No record");
		}
		return record;
	}

	/**
	 * The name of the source that read the record.
	 * @return the source name
	 */
	public String getSource() {
		return this.source;
	}

	/**
	 * The group id of the source.
	 * @return the group id, or {@code null} for a source without one
	 */
	public @Nullable String getGroupId() {
		return this.groupId;
	}

}
