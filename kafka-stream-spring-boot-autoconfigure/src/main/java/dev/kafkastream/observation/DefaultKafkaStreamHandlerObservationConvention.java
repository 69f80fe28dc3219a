package dev.kafkastream.observation;

import dev.kafkastream.observation.KafkaStreamObservation.HandlerHighCardinalityKeys;
import dev.kafkastream.observation.KafkaStreamObservation.HandlerLowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * The default {@link KafkaStreamHandlerObservationConvention}: named
 * {@code kafka.stream.handler}, with the OpenTelemetry messaging attributes of a Kafka
 * consumer's process operation. The tags that may go into metrics (low cardinality) are
 * bounded by the application's configuration: source, topic and group; the partition and
 * offset go into spans only.
 */
public class DefaultKafkaStreamHandlerObservationConvention implements KafkaStreamHandlerObservationConvention {

	/**
	 * The shared instance.
	 */
	public static final DefaultKafkaStreamHandlerObservationConvention INSTANCE = new DefaultKafkaStreamHandlerObservationConvention();

	private static final String NAME = "kafka.stream.handler";

	@Override
	public String getName() {
		return NAME;
	}

	/**
	 * Names the span after the operation and the topic, as OpenTelemetry's messaging
	 * conventions do: {@code <topic> process}.
	 */
	@Override
	public String getContextualName(KafkaStreamHandlerContext context) {
		return context.getRecord().topic() + " process";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(KafkaStreamHandlerContext context) {
		String groupId = context.getGroupId();
		return KeyValues.of(HandlerLowCardinalityKeys.SOURCE.withValue(context.getSource()),
				HandlerLowCardinalityKeys.MESSAGING_SYSTEM.withValue("kafka"),
				HandlerLowCardinalityKeys.MESSAGING_OPERATION.withValue("process"),
				HandlerLowCardinalityKeys.MESSAGING_SOURCE_NAME.withValue(context.getRecord().topic()),
				HandlerLowCardinalityKeys.MESSAGING_SOURCE_KIND.withValue("topic"),
				HandlerLowCardinalityKeys.MESSAGING_CONSUMER_GROUP.withValue((groupId != null) ? groupId : "none"));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(KafkaStreamHandlerContext context) {
		return KeyValues.of(
				HandlerHighCardinalityKeys.MESSAGING_PARTITION.withValue(Integer.toString(context.getRecord().partition())),
				HandlerHighCardinalityKeys.MESSAGING_OFFSET.withValue(Long.toString(context.getRecord().offset())));
	}

}
