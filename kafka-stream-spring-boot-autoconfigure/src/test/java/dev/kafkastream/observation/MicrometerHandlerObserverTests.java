package dev.kafkastream.observation;

import java.util.ArrayList;
import java.util.List;

import dev.kafkastream.runtime.HandlerObserver;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MicrometerHandlerObserver}.
 */
class MicrometerHandlerObserverTests {

	private final ObservationRegistry registry = ObservationRegistry.create();

	private final List<Observation.Context> started = new ArrayList<>();

	private final List<Observation.Context> stopped = new ArrayList<>();

	private final List<Observation.Context> propagated = new ArrayList<>();

	private final ConsumerRecord<String, String> record = new ConsumerRecord<>("orders", 2, 7L, "k", "v");

	MicrometerHandlerObserverTests() {
		this.registry.observationConfig().observationHandler(new RecordingHandler());
	}

	@Test
	void aCallIsAnObservationInScopeUntilItSucceeded() {
		HandlerObserver.Call call = observer(null).start(this.record);
		assertThat(this.started).singleElement().isInstanceOf(KafkaStreamHandlerContext.class);
		Observation.Context context = this.started.get(0);
		assertThat(this.registry.getCurrentObservation()).isNotNull()
			.extracting(Observation::getContext)
			.isSameAs(context);
		call.succeeded();
		assertThat(this.stopped).containsExactly(context);
		assertThat(this.registry.getCurrentObservation()).isNull();
		assertThat(context.getName()).isEqualTo("kafka.stream.handler");
		assertThat(context.getContextualName()).isEqualTo("orders process");
		assertThat(context.getError()).isNull();
		assertThat(context.getLowCardinalityKeyValues()).extracting(KeyValue::getKey, KeyValue::getValue)
			.containsExactlyInAnyOrder(tuple("kafka.stream.source", "orders-source"), tuple("messaging.system", "kafka"),
					tuple("messaging.operation", "process"), tuple("messaging.source.name", "orders"),
					tuple("messaging.source.kind", "topic"), tuple("messaging.kafka.consumer.group", "group"));
		assertThat(context.getHighCardinalityKeyValues()).extracting(KeyValue::getKey, KeyValue::getValue)
			.containsExactlyInAnyOrder(tuple("messaging.kafka.source.partition", "2"),
					tuple("messaging.kafka.message.offset", "7"));
	}

	@Test
	void aCallThatFailedRecordsTheError() {
		IllegalStateException failure = new IllegalStateException("boom");
		observer(null).start(this.record).failed(failure);
		assertThat(this.stopped).singleElement().extracting(Observation.Context::getError).isSameAs(failure);
		assertThat(this.registry.getCurrentObservation()).isNull();
	}

	@Test
	void headersOfRecordsWrittenForACallComeFromItsContextAfterItEnded() {
		HandlerObserver.Call call = observer(null).start(this.record);
		call.succeeded();
		Headers headers = new RecordHeaders();
		call.addHeaders(headers);
		assertThat(this.propagated).containsExactly(this.started.get(0));
		assertThat(headers.lastHeader("from")).isNotNull();
	}

	@Test
	void aConventionBeanNamesTheObservation() {
		KafkaStreamHandlerObservationConvention convention = new KafkaStreamHandlerObservationConvention() {

			@Override
			public String getName() {
				return "custom";
			}

		};
		observer(convention).start(this.record).succeeded();
		assertThat(this.stopped).singleElement().extracting(Observation.Context::getName).isEqualTo("custom");
	}

	@Test
	void aNoopRegistryObservesNothing() {
		HandlerObserver.Call call = new MicrometerHandlerObserver(ObservationRegistry.NOOP, null, this::propagate,
				"orders-source", "group")
			.start(this.record);
		call.succeeded();
		call.addHeaders(new RecordHeaders());
		assertThat(this.started).isEmpty();
		assertThat(this.propagated).singleElement().isNotInstanceOf(KafkaStreamHandlerContext.class);
	}

	private HandlerObserver observer(KafkaStreamHandlerObservationConvention convention) {
		return new MicrometerHandlerObserverFactory(this.registry, convention, this::propagate)
			.observerFor("orders-source", "group");
	}

	private void propagate(Observation.Context context, Headers headers) {
		this.propagated.add(context);
		headers.add("from", new byte[0]);
	}

	private static org.assertj.core.groups.Tuple tuple(Object... values) {
		return org.assertj.core.groups.Tuple.tuple(values);
	}

	private final class RecordingHandler implements ObservationHandler<Observation.Context> {

		@Override
		public void onStart(Observation.Context context) {
			MicrometerHandlerObserverTests.this.started.add(context);
		}

		@Override
		public void onStop(Observation.Context context) {
			MicrometerHandlerObserverTests.this.stopped.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
