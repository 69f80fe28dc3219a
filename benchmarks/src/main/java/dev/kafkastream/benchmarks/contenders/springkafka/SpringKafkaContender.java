package dev.kafkastream.benchmarks.contenders.springkafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kafkastream.benchmarks.ContenderSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Spring Kafka as its reference documentation shows consume-transform-produce: a batch {@code @KafkaListener}
 * forwarding every record through a {@code KafkaTemplate}; with {@code spring.kafka.producer.transaction-id-prefix}
 * set, Spring Boot configures a {@code KafkaTransactionManager} and the container runs each poll's batch in one
 * transaction and sends the offsets to it. {@code bench.retry-backoff-ms} sets the producer's
 * {@code retry.backoff.ms} (the Kafka default is 100 ms).
 */
@SpringBootApplication
public class SpringKafkaContender {

	public static void main(String[] args) {
		ContenderSettings settings = ContenderSettings.fromSystemProperties();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("kafka-stream.enabled", "false");
		// measured without Kafka client metrics, as before Actuator joined the benchmark class path
		properties.put("spring.autoconfigure.exclude",
				"org.springframework.boot.kafka.autoconfigure.metrics.KafkaMetricsAutoConfiguration");
		properties.put("spring.kafka.bootstrap-servers", settings.bootstrapServers());
		properties.put("spring.kafka.consumer.group-id", settings.group());
		properties.put("spring.kafka.consumer.auto-offset-reset", "earliest");
		properties.put("spring.kafka.consumer.isolation-level", "read-committed");
		properties.put("spring.kafka.consumer.key-deserializer",
				"org.apache.kafka.common.serialization.ByteArrayDeserializer");
		properties.put("spring.kafka.consumer.value-deserializer",
				"org.apache.kafka.common.serialization.ByteArrayDeserializer");
		properties.put("spring.kafka.producer.key-serializer",
				"org.apache.kafka.common.serialization.ByteArraySerializer");
		properties.put("spring.kafka.producer.value-serializer",
				"org.apache.kafka.common.serialization.ByteArraySerializer");
		properties.put("spring.kafka.producer.acks", "all");
		properties.put("spring.kafka.producer.properties.enable.idempotence", "true");
		String backoff = System.getProperty("bench.retry-backoff-ms");
		if (backoff != null) {
			properties.put("spring.kafka.producer.properties.retry.backoff.ms", backoff);
		}
		if (settings.exactlyOnce()) {
			properties.put("spring.kafka.producer.transaction-id-prefix", settings.id() + "-");
		}
		properties.put("spring.kafka.listener.type", "batch");
		properties.put("spring.kafka.listener.ack-mode", "batch");
		SpringApplication application = new SpringApplication(SpringKafkaContender.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(properties);
		application.run(args);
	}

	@Component
	static class Forwarder {

		private final KafkaTemplate<byte[], byte[]> template;

		private final String output = System.getProperty("bench.output");

		Forwarder(KafkaTemplate<byte[], byte[]> template) {
			this.template = template;
		}

		@KafkaListener(topics = "${bench.input}")
		void forward(List<ConsumerRecord<byte[], byte[]>> records) {
			for (ConsumerRecord<byte[], byte[]> record : records) {
				this.template.send(new ProducerRecord<>(this.output, null, record.timestamp(), record.key(),
						record.value()));
			}
		}

	}

}
