package dev.kafkastream.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Kafka producer talks to a private embedded broker only through a {@link TcpProxy}: the broker has an extra
 * listener that advertises the proxy's address, so the client's connections after bootstrap go through the proxy
 * too, and a blackhole holds a send until the network is restored.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TcpProxyKafkaIT {

	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

	@Test
	void producerConnectionsGoThroughTheProxyAndSurviveItsFaults() throws Exception {
		int proxiedPort = freePort();
		try (TcpProxy proxy = TcpProxy.start("127.0.0.1", proxiedPort);
				EmbeddedKafkaBrokerSupport broker = EmbeddedKafkaBrokerSupport.start(proxiedListener(proxiedPort, proxy));
				KafkaProducer<String, String> producer = producer(proxy)) {
			String topic = KafkaTestBroker.uniqueTopicName("proxied");
			broker.createTopic(topic, 1);
			producer.send(new ProducerRecord<>(topic, "k", "first")).get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(proxy.openConnections()).isPositive();

			proxy.blackhole();
			Future<RecordMetadata> held = producer.send(new ProducerRecord<>(topic, "k", "held"));
			await().alias("the send is held while the network is cut")
				.during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(2))
				.until(() -> !held.isDone());
			proxy.restore();
			assertThat(held.get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS).offset()).isEqualTo(1);

			proxy.resetConnections();
			RecordMetadata afterReset = producer.send(new ProducerRecord<>(topic, "k", "after reset"))
				.get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(afterReset.offset()).isEqualTo(2);
			TopicPartition partition = new TopicPartition(topic, 0);
			long endOffset = broker.admin()
				.listOffsets(Map.of(partition, OffsetSpec.latest()))
				.partitionResult(partition)
				.get(10, TimeUnit.SECONDS)
				.offset();
			assertThat(endOffset).as("every record once, none lost or repeated by the faults").isEqualTo(3);
		}
	}

	/**
	 * Broker settings adding a listener {@code PROXIED} on {@code proxiedPort} that advertises the proxy. The test
	 * kit's own listeners keep their ephemeral ports ({@code :0} in {@code advertised.listeners} means the bound
	 * port), so {@link EmbeddedKafkaBrokerSupport#bootstrapServers()} and its Admin client still reach the broker
	 * directly.
	 */
	private static Map<String, String> proxiedListener(int proxiedPort, TcpProxy proxy) {
		return Map.of("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,PROXIED://127.0.0.1:" + proxiedPort,
				"advertised.listeners", "EXTERNAL://localhost:0,PROXIED://" + proxy.address(),
				"listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT");
	}

	private static KafkaProducer<String, String> producer(TcpProxy proxy) {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, proxy.address(),
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
				ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000),
				new StringSerializer(), new StringSerializer());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

}
