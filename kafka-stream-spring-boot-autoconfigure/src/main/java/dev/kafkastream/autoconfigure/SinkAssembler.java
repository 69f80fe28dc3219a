package dev.kafkastream.autoconfigure;

import java.util.Locale;
import java.util.Map;

import dev.kafkastream.autoconfigure.KafkaStreamProperties.Sink;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.handler.HandlerMethod;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.sink.SinkPartitioner;
import dev.kafkastream.sink.TopicSelector;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ResolvableType;
import org.springframework.util.StringUtils;

/**
 * Turns the properties of one sink into a {@link KafkaSinkSpec}, reporting every mistake
 * with the property to fix.
 */
final class SinkAssembler {

	private final KafkaClientConfigs clientConfigs;

	private final Serdes serdes;

	private final BeanOrClassResolver components;

	private final SinkGuaranteeChecks checks;

	SinkAssembler(KafkaClientConfigs clientConfigs, Serdes serdes, BeanOrClassResolver components,
			SinkGuaranteeChecks checks) {
		this.clientConfigs = clientConfigs;
		this.serdes = serdes;
		this.components = components;
		this.checks = checks;
	}

	/**
	 * Assembles the default sink of a handler, whose serialisers follow the types the
	 * handler returns, or a sink application code sends through ({@code handler} null).
	 * @param name the name of the sink
	 * @param sink its properties
	 * @param handler the handler writing to it, or {@code null}
	 * @return the sink
	 */
	KafkaSinkSpec assemble(String name, Sink sink, @Nullable HandlerMethod handler) {
		return assemble(name, sink, handler, false);
	}

	/**
	 * Assembles a sink.
	 * @param name the name of the sink
	 * @param sink its properties
	 * @param handler the handler writing to it, or {@code null} for the sink application
	 * code sends through, whose types are only known per record
	 * @param emitted whether the handler writes to it through its
	 * {@link dev.kafkastream.core.SinkEmitter}, whose values have no declared type
	 * @return the sink
	 */
	KafkaSinkSpec assemble(String name, Sink sink, @Nullable HandlerMethod handler, boolean emitted) {
		boolean untyped = emitted || handler == null;
		String prefix = "kafka-stream.sinks." + name;
		boolean selector = StringUtils.hasText(sink.getTopicSelector());
		if (!StringUtils.hasText(sink.getTopic()) && !selector) {
			throw new KafkaStreamConfigurationException(prefix + ".topic", "Sink '" + name + "' has no topic",
					"Set the topic to write to, or a topic selector.");
		}
		if (sink.getDeliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE
				&& !StringUtils.hasText(sink.getTransactionalIdPrefix())) {
			throw new KafkaStreamConfigurationException(prefix + ".transactional-id-prefix",
					"Sink '" + name + "' is exactly-once but has no transactional id prefix",
					"Set a transactional id prefix unique to this application, or choose another delivery guarantee.");
		}
		this.checks.check(name, sink);
		Map<String, Object> producerProperties = this.clientConfigs.producer(prefix, sink);
		return KafkaSinkSpec.builder()
			.name(name)
			.topic(sink.getTopic())
			.topicSelector(selector
					? this.components.resolve(sink.getTopicSelector(), TopicSelector.class, prefix + ".topic-selector")
					: null)
			.partitioner(partitioner(prefix, sink.getPartitioner()))
			.writeTimestamp(sink.isWriteTimestamp())
			.copyHeaders(sink.isCopyHeaders())
			.deliveryGuarantee(sink.getDeliveryGuarantee())
			.transactionalIdPrefix(sink.getTransactionalIdPrefix())
			.transactionTimeout((sink.getDeliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE)
					? this.checks.transactionTimeout(sink) : null)
			.producerProperties(producerProperties)
			.adminProperties(this.clientConfigs.admin(prefix, sink.getSecurity(), sink.getProperties()))
			.keySerializer(serializer(prefix, "key", sink.getKeyFormat(), sink.getKeySerializer(),
					untyped ? ResolvableType.NONE : handler.outputKeyType(), handler, producerProperties, true, true))
			.valueSerializer(serializer(prefix, "value", sink.getValueFormat(), sink.getValueSerializer(),
					untyped ? ResolvableType.NONE : handler.outputType(), handler, producerProperties, false,
					untyped))
			.build();
	}

	private @Nullable SinkPartitioner partitioner(String prefix, @Nullable String partitioner) {
		if (!StringUtils.hasText(partitioner)) {
			throw new KafkaStreamConfigurationException(prefix + ".partitioner", "The partitioner is empty",
					"Set 'default', 'fixed', 'round-robin' or the name of a SinkPartitioner bean.");
		}
		if (!this.components.isBean(partitioner)) {
			switch (partitioner.trim().toLowerCase(Locale.ROOT)) {
				case "default":
					return null;
				case "fixed":
					return SinkPartitioner.fixed();
				case "round-robin":
					return SinkPartitioner.roundRobin();
				default:
			}
		}
		return this.components.resolve(partitioner, SinkPartitioner.class, prefix + ".partitioner");
	}

	private Serializer<?> serializer(String prefix, String part, @Nullable Format format,
			@Nullable String serializerName, ResolvableType type, @Nullable HandlerMethod handler,
			Map<String, Object> producerProperties, boolean isKey, boolean byClassWhenUntyped) {
		String formatProperty = prefix + "." + part + "-format";
		String serializerProperty = prefix + "." + part + "-serializer";
		if (StringUtils.hasText(serializerName)) {
			if (format != null) {
				throw new KafkaStreamConfigurationException(serializerProperty,
						"Both '" + formatProperty + "' and '" + serializerProperty + "' are set", "Set one of them.");
			}
			boolean bean = this.components.isBean(serializerName);
			Serializer<?> serializer = this.components.resolve(serializerName, Serializer.class, serializerProperty);
			if (!bean) {
				serializer.configure(producerProperties, isKey);
			}
			return serializer;
		}
		if (byClassWhenUntyped && format == null && (type == ResolvableType.NONE || type.toClass() == Object.class)) {
			return this.serdes.serializerByClass();
		}
		if (handler == null) {
			return this.serdes.serializer(format, formatProperty);
		}
		return this.serdes.serializer(Formats.resolve(format, type, Format.JSON, formatProperty, handler), formatProperty);
	}

}
