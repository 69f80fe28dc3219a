package dev.kafkastream.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kafkastream.event.SourceStateChangedEvent;
import dev.kafkastream.runtime.KafkaClients;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.PipelineSpec;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.support.StaticApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link KafkaStreamLivenessStatePublisher}, with a pipeline whose consumer
 * cannot be created, so that it fails without a broker.
 */
class KafkaStreamLivenessStatePublisherTests {

	private final List<Object> published = new CopyOnWriteArrayList<>();

	@Test
	void publishesBrokenForAFailureARestartCuresOnceTheApplicationIsReady() {
		KafkaStreamRuntime runtime = failingRuntime(new OutOfMemoryError("Java heap space (simulated)"));
		KafkaStreamLivenessStatePublisher publisher = publisherOf(runtime);
		try {
			runtime.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> runtime.pipelines().get(0).state() == PipelineState.FAILED);
			assertThat(this.published).as("nothing before Spring Boot's own CORRECT, published once started")
				.isEmpty();
			publisher.onApplicationEvent(ready());
			assertThat(this.published).singleElement()
				.satisfies((event) -> assertThat(((AvailabilityChangeEvent<?>) event).getState())
					.isEqualTo(LivenessState.BROKEN));
			publisher.onApplicationEvent(ready());
			assertThat(this.published).as("published once").hasSize(1);
		}
		finally {
			runtime.stop(Duration.ofSeconds(5));
		}
	}

	@Test
	void publishesNothingForAFailureARestartRepeats() {
		KafkaStreamRuntime runtime = failingRuntime(new ConfigException("bad setting"));
		KafkaStreamLivenessStatePublisher publisher = publisherOf(runtime);
		publisher.onApplicationEvent(ready());
		try {
			runtime.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> runtime.pipelines().get(0).state() == PipelineState.FAILED);
			assertThat(this.published).isEmpty();
		}
		finally {
			runtime.stop(Duration.ofSeconds(5));
		}
	}

	private KafkaStreamLivenessStatePublisher publisherOf(KafkaStreamRuntime runtime) {
		KafkaStreamLivenessStatePublisher publisher = new KafkaStreamLivenessStatePublisher(() -> runtime,
				this.published::add);
		runtime.addStateListener((pipeline, previous, current) -> publisher
			.onApplicationEvent(new SourceStateChangedEvent(runtime, pipeline, previous, current)));
		return publisher;
	}

	private static ApplicationReadyEvent ready() {
		return new ApplicationReadyEvent(new SpringApplication(), new String[0], new StaticApplicationContext(),
				Duration.ZERO);
	}

	private static KafkaStreamRuntime failingRuntime(Throwable failure) {
		PipelineSpec pipeline = PipelineSpec.builder()
			.source(KafkaSourceSpec.builder().name("orders").topics("orders").groupId("g").build())
			.handler((record, output) -> {
			})
			.build();
		KafkaClients failing = new KafkaClients() {

			@Override
			public Consumer<byte[], byte[]> createConsumer(Map<String, Object> config) {
				if (failure instanceof Error error) {
					throw error;
				}
				throw (RuntimeException) failure;
			}

			@Override
			public Producer<byte[], byte[]> createProducer(Map<String, Object> config) {
				throw new UnsupportedOperationException("no producer in this test");
			}

		};
		return KafkaStreamRuntime.builder()
			.pipeline(pipeline)
			.clients(failing)
			.endOffsetsRefreshInterval(Duration.ZERO)
			.build();
	}

}
