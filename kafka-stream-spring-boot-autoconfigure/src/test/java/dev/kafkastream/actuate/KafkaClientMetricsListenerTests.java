package dev.kafkastream.actuate;

import java.time.Duration;
import java.util.Map;

import dev.kafkastream.runtime.KafkaClients;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client metrics of real (unconnected) Kafka clients created through listening
 * {@link KafkaClients}: bound while a client lives, gone once it is closed, so producers
 * re-created after failures leave no meters behind.
 */
class KafkaClientMetricsListenerTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final KafkaClientMetricsListener listener = new KafkaClientMetricsListener(this.registry,
			Tags.of("application", "test"));

	private final KafkaClients clients = KafkaClients.standard().withListener(this.listener);

	@Test
	void producersRecreatedAfterFailuresLeaveNoMeters() {
		for (int i = 0; i < 3; i++) {
			Producer<byte[], byte[]> producer = this.clients.createProducer(Map.of(
					ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1", ProducerConfig.CLIENT_ID_CONFIG,
					"worker-producer", ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
					ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
			assertThat(this.registry.find("kafka.producer.record.send.total")
				.tags("client.id", "worker-producer", "application", "test")
				.functionCounters()).hasSize(1);
			producer.close(Duration.ZERO);
			// a second close, as a worker closing a producer it discarded may do, removes nothing twice
			producer.close(Duration.ZERO);
			assertThat(this.registry.getMeters()).noneMatch((meter) -> meter.getId().getName().startsWith("kafka."));
			assertThat(this.listener.boundClients()).isZero();
		}
	}

	@Test
	void consumerMetricsAreRemovedWithTheConsumer() {
		Consumer<byte[], byte[]> consumer = this.clients.createConsumer(Map.of(
				ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1", ConsumerConfig.CLIENT_ID_CONFIG,
				"worker-consumer", ConsumerConfig.GROUP_ID_CONFIG, "group",
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
		assertThat(this.registry.getMeters())
			.anyMatch((meter) -> meter.getId().getName().startsWith("kafka.consumer.")
					&& "worker-consumer".equals(meter.getId().getTag("client.id")));
		consumer.close(CloseOptions.timeout(Duration.ZERO));
		assertThat(this.registry.getMeters()).noneMatch((meter) -> meter.getId().getName().startsWith("kafka."));
	}

	@Test
	void closeRemovesTheMetersOfClientsStillOpen() {
		Producer<byte[], byte[]> producer = this.clients.createProducer(Map.of(
				ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1", ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				ByteArraySerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
		try {
			this.listener.close();
			assertThat(this.registry.getMeters()).noneMatch((meter) -> meter.getId().getName().startsWith("kafka."));
		}
		finally {
			producer.close(Duration.ZERO);
		}
	}

}
