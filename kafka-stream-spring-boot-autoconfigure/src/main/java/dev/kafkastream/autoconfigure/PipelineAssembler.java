package dev.kafkastream.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kafkastream.autoconfigure.KafkaStreamProperties.Source;
import dev.kafkastream.checkpoint.CheckpointSettings;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.handler.HandlerMethod;
import dev.kafkastream.handler.MethodBatchHandler;
import dev.kafkastream.handler.MethodRecordHandler;
import dev.kafkastream.observation.HandlerObserverFactory;
import dev.kafkastream.runtime.HandlerObserver;
import dev.kafkastream.runtime.KafkaClients;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.PipelineSpec;
import dev.kafkastream.runtime.RecoverySettings;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.source.KafkaSourceSpec;
import org.jspecify.annotations.Nullable;

/**
 * Checks the kafka-stream properties against the handler methods and builds the runtime.
 * Every problem is reported as a {@link KafkaStreamConfigurationException} naming the
 * property to fix.
 */
final class PipelineAssembler {

	private final KafkaStreamProperties properties;

	private final String instanceId;

	private final KafkaClients clients;

	private final SourceAssembler sources;

	private final SinkAssembler sinks;

	private @Nullable HandlerObserverFactory observers;

	PipelineAssembler(KafkaStreamProperties properties, KafkaClientConfigs clientConfigs, String instanceId,
			@Nullable String applicationName, Serdes serdes, DeserializerResolver deserializers,
			BeanOrClassResolver components, KafkaClients clients) {
		this.properties = properties;
		this.instanceId = instanceId;
		this.clients = clients;
		this.sources = new SourceAssembler(clientConfigs, applicationName, serdes, deserializers,
				new SourceAssembler.Membership(instanceId, properties.isStaticMembership(),
						properties.isLeaveGroupOnShutdown()));
		this.sinks = new SinkAssembler(clientConfigs, serdes, components, new SinkGuaranteeChecks(properties));
	}

	/**
	 * Observes the handler calls of the sources whose observation is enabled.
	 * @param observers what gives each such pipeline its observer, or {@code null} when
	 * there is nothing to observe with
	 * @return this
	 */
	PipelineAssembler observers(@Nullable HandlerObserverFactory observers) {
		this.observers = observers;
		return this;
	}

	KafkaStreamRuntime assemble(List<HandlerMethod> handlers) {
		warnAboutUnknownClientProperties();
		Map<String, HandlerMethod> handlersBySource = bindHandlers(handlers);
		KafkaStreamRuntime.Builder runtime = KafkaStreamRuntime.builder()
			.checkpointSettings(checkpointSettings())
			.recovery(recoverySettings())
			.clients(this.clients)
			.instanceId(this.instanceId)
			.endOffsetsRefreshInterval(lagRefreshInterval());
		this.properties.getSources().forEach((name, source) -> {
			HandlerMethod handler = handlersBySource.get(name);
			if (handler == null) {
				throw new KafkaStreamConfigurationException("kafka-stream.sources." + name,
						"Source '" + name + "' has no @KafkaStreamHandler method",
						"Annotate a bean method with @KafkaStreamHandler(source = \"" + name
								+ "\"), or remove the source.");
			}
			String sinkName = handler.sink();
			KafkaSinkSpec sink = (sinkName != null) ? sink(sinkName, handler) : null;
			List<KafkaSinkSpec> additionalSinks = new ArrayList<>();
			for (String additional : handler.additionalSinks()) {
				additionalSinks.add(this.sinks.assemble(additional, this.properties.getSinks().get(additional), handler,
						true));
			}
			KafkaSinkSpec producerSink = (sink != null) ? sink
					: (!additionalSinks.isEmpty()) ? additionalSinks.get(0) : null;
			checkOneGuarantee(handler, producerSink, additionalSinks);
			boolean exactlyOnce = producerSink != null
					&& producerSink.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE;
			KafkaSourceSpec sourceSpec = this.sources.assemble(name, source, handler, exactlyOnce);
			PipelineSpec.Builder pipeline = PipelineSpec.builder().source(sourceSpec);
			if (handler.batch()) {
				pipeline.batchHandler(new MethodBatchHandler(handler));
			}
			else {
				pipeline.handler(new MethodRecordHandler(handler));
			}
			runtime.pipeline(pipeline.handlerObserver(handlerObserver(sourceSpec, source))
				.sink(sink)
				.additionalSinks(additionalSinks)
				.build());
		});
		this.properties.getSinks().forEach((name, sink) -> runtime.sink(this.sinks.assemble(name, sink, null)));
		return runtime.build();
	}

	private @Nullable HandlerObserver handlerObserver(KafkaSourceSpec spec, Source source) {
		Boolean enabled = source.getObservationEnabled();
		boolean observed = (enabled != null) ? enabled : this.properties.getObservation().isEnabled();
		return (observed && this.observers != null) ? this.observers.observerFor(spec.name(), spec.groupId()) : null;
	}

	private Map<String, HandlerMethod> bindHandlers(List<HandlerMethod> handlers) {
		Map<String, HandlerMethod> bySource = new LinkedHashMap<>();
		for (HandlerMethod handler : handlers) {
			String source = handler.source();
			if (!this.properties.getSources().containsKey(source)) {
				throw new KafkaStreamConfigurationException("kafka-stream.sources." + source,
						"Handler " + handler.describe() + " reads source '" + source + "', which is not configured",
						"Configure 'kafka-stream.sources." + source + ".topics', or fix the handler's source.");
			}
			String sink = handler.sink();
			if (sink != null && !this.properties.getSinks().containsKey(sink)) {
				throw new KafkaStreamConfigurationException("kafka-stream.sinks." + sink,
						"Handler " + handler.describe() + " writes to sink '" + sink + "', which is not configured",
						"Configure 'kafka-stream.sinks." + sink + ".topic', or fix the handler's sink.");
			}
			for (String additional : handler.additionalSinks()) {
				if (!this.properties.getSinks().containsKey(additional)) {
					throw new KafkaStreamConfigurationException("kafka-stream.sinks." + additional,
							"Handler " + handler.describe() + " emits to sink '" + additional
									+ "', which is not configured",
							"Configure 'kafka-stream.sinks." + additional
									+ ".topic', or fix the handler's sinks.");
				}
			}
			if (sink == null && handler.returnsValues()) {
				throw new KafkaStreamConfigurationException("kafka-stream.sinks",
						"Handler " + handler.describe() + " returns values but names no sink to write them to",
						"Configure a sink under 'kafka-stream.sinks' and name it in @KafkaStreamHandler(sink = ...),"
								+ " or make the method void.");
			}
			HandlerMethod previous = bySource.putIfAbsent(source, handler);
			if (previous != null) {
				throw new KafkaStreamConfigurationException("kafka-stream.sources." + source,
						"Source '" + source + "' has two handlers, " + previous.describe() + " and "
								+ handler.describe(),
						"A source feeds one handler: configure a second source for the second handler.");
			}
		}
		return bySource;
	}

	/**
	 * All sinks of a pipeline share the worker's producer, so one transaction under
	 * exactly-once: they must have the same delivery guarantee.
	 */
	private void checkOneGuarantee(HandlerMethod handler, @Nullable KafkaSinkSpec producerSink,
			List<KafkaSinkSpec> additionalSinks) {
		if (producerSink == null) {
			return;
		}
		for (KafkaSinkSpec other : additionalSinks) {
			if (other.deliveryGuarantee() != producerSink.deliveryGuarantee()) {
				throw new KafkaStreamConfigurationException("kafka-stream.sinks." + other.name() + ".delivery-guarantee",
						"Handler " + handler.describe() + " writes to sink '" + producerSink.name() + "', which is "
								+ guarantee(producerSink) + ", and to sink '" + other.name() + "', which is "
								+ guarantee(other),
						"The sinks of one handler share one producer and one transaction: give them the same delivery"
								+ " guarantee.");
			}
		}
	}

	private static String guarantee(KafkaSinkSpec sink) {
		return sink.deliveryGuarantee().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

	private KafkaSinkSpec sink(String name, HandlerMethod handler) {
		return this.sinks.assemble(name, this.properties.getSinks().get(name), handler);
	}

	private CheckpointSettings checkpointSettings() {
		KafkaStreamProperties.Checkpoint checkpoint = this.properties.getCheckpoint();
		requirePositive(checkpoint.getInterval(), "kafka-stream.checkpoint.interval");
		requirePositive(checkpoint.getTimeout(), "kafka-stream.checkpoint.timeout");
		if (checkpoint.getMinPause().isNegative()) {
			throw new KafkaStreamConfigurationException("kafka-stream.checkpoint.min-pause",
					"The minimum pause between checkpoints is negative", "Set it to 0 or more.");
		}
		if (checkpoint.getHistorySize() < 1) {
			throw new KafkaStreamConfigurationException("kafka-stream.checkpoint.history-size",
					"The checkpoint history size is " + checkpoint.getHistorySize(), "Set it to 1 or more.");
		}
		return new CheckpointSettings(checkpoint.getInterval(), checkpoint.getTimeout(), checkpoint.getMinPause(),
				checkpoint.getHistorySize());
	}

	private void warnAboutUnknownClientProperties() {
		UnknownClientProperties.warn("kafka-stream.properties", this.properties.getProperties());
		this.properties.getSources()
			.forEach((name, source) -> UnknownClientProperties.warn("kafka-stream.sources." + name + ".properties",
					source.getProperties()));
		this.properties.getSinks()
			.forEach((name, sink) -> UnknownClientProperties.warn("kafka-stream.sinks." + name + ".properties",
					sink.getProperties()));
	}

	private Duration lagRefreshInterval() {
		Duration interval = this.properties.getLag().getRefreshInterval();
		if (interval.isNegative()) {
			throw new KafkaStreamConfigurationException("kafka-stream.lag.refresh-interval",
					"The lag refresh interval is negative", "Set it to 0 (no lag) or more.");
		}
		return interval;
	}

	private RecoverySettings recoverySettings() {
		KafkaStreamProperties.Recovery recovery = this.properties.getRecovery();
		requirePositive(recovery.getInitialBackoff(), "kafka-stream.recovery.initial-backoff");
		requirePositive(recovery.getMaxBackoff(), "kafka-stream.recovery.max-backoff");
		if (recovery.getMaxAttempts() < 1) {
			throw new KafkaStreamConfigurationException("kafka-stream.recovery.max-attempts",
					"The number of attempts is " + recovery.getMaxAttempts(), "Set it to 1 or more.");
		}
		return new RecoverySettings(recovery.getInitialBackoff(), recovery.getMaxBackoff(), recovery.getMaxAttempts());
	}

	private static void requirePositive(Duration duration, String property) {
		if (duration.isNegative() || duration.isZero()) {
			throw new KafkaStreamConfigurationException(property, "The duration " + duration + " is not positive",
					"Set a positive duration, such as 1s.");
		}
	}

}
