package dev.kafkastream.benchmarks.contenders.streams;

import java.nio.file.Files;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import dev.kafkastream.benchmarks.ContenderSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Kafka Streams identity topology ({@code stream(input).to(output)}) with {@code at_least_once} or
 * {@code exactly_once_v2} and the harness's commit interval; one stream thread.
 */
public final class KafkaStreamsContender {

	private KafkaStreamsContender() {
	}

	public static void main(String[] args) throws Exception {
		ContenderSettings settings = ContenderSettings.fromSystemProperties();
		Properties props = new Properties();
		props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.group());
		props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
		props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
				settings.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
		props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.interval().toMillis());
		props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("kafka-streams-").toString());
		props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
		props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
		props.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), true);
		StreamsBuilder builder = new StreamsBuilder();
		builder.stream(settings.input(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
			.to(settings.output(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
		KafkaStreams streams = new KafkaStreams(builder.build(), props);
		CountDownLatch closed = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			streams.close();
			closed.countDown();
		}));
		streams.start();
		closed.await();
	}

}
