package dev.kafkastream.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kafkastream.test.ChildJvm;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the sample as it was processed by Spring AOT in the build (the {@code process-aot}
 * goal of {@code spring-boot-maven-plugin}): in a child JVM with
 * {@code -Dspring.aot.enabled=true}, so that its bean definitions come from the generated
 * code, on a broker this test starts. The {@code @KafkaStreamHandler} of the sample is
 * found and the orders it enriches are read back, with {@code read_committed}, exactly
 * once and in per-customer order.
 */
class SampleApplicationAotIT {

	private static final int ORDERS = 300;

	private static final int CUSTOMERS = 7;

	private static final JsonMapper json = new JsonMapper();

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@TempDir
	Path logs;

	@Test
	void aotProcessedSampleEnrichesOrdersExactlyOnce() throws Exception {
		String bootstrap = this.kafka.bootstrapServers();
		String orders = KafkaTestBroker.uniqueTopicName("aot-orders");
		String enriched = KafkaTestBroker.uniqueTopicName("aot-orders-enriched");
		this.kafka.createTopic(orders, 3);
		this.kafka.createTopic(enriched, 3);
		List<TestRecords.Input> inputs = TestRecords.expected(ORDERS, CUSTOMERS);
		try (ChildJvm sample = ChildJvm.builder(SampleApplication.class)
			.systemProperty("spring.aot.enabled", "true")
			.args("--spring.kafka.bootstrap-servers=" + bootstrap, "--server.port=0",
					"--sample.generator.enabled=false", "--kafka-stream.sources.orders.topics=" + orders,
					"--kafka-stream.sources.orders.group-id=" + orders,
					"--kafka-stream.sinks.enriched.topic=" + enriched,
					"--kafka-stream.sinks.enriched.transactional-id-prefix=" + enriched)
			.logFile(this.logs.resolve("sample.log"))
			.start()) {
			await("sample started").atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
				assertThat(sample.isAlive()).as("sample alive; log:%n%s", sample.logTail(80)).isTrue();
				assertThat(log(sample)).contains("Started SampleApplication");
			});
			assertThat(log(sample)).as("Spring Boot ran the AOT-generated context")
				.contains("Starting AOT-processed SampleApplication");
			send(bootstrap, orders, inputs);
			ExactlyOnceVerifier.Result result = ExactlyOnceVerifier.of(bootstrap, enriched, inputs)
				.consumerProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, EnrichedOrderIdDeserializer.class)
				.awaitExactlyOnce(Duration.ofSeconds(60));
			assertThat(result.recordsRead()).isEqualTo(ORDERS);
			assertThat(sample.stop(Duration.ofSeconds(60))).as("exit code after SIGTERM; log:%n%s", sample.logTail(40))
				.isEqualTo(ChildJvm.SIGTERM_EXIT_CODE);
		}
	}

	/**
	 * Sends one JSON order per input: its id is the input id, its customer (and key) the
	 * input key.
	 */
	private static void send(String bootstrap, String topic, List<TestRecords.Input> inputs) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
				ProducerConfig.ACKS_CONFIG, "all");
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
				new StringSerializer())) {
			for (TestRecords.Input input : inputs) {
				Order order = new Order(Long.toString(input.id()), input.key(), "product", 1 + (int) (input.id() % 5),
						12.5);
				producer.send(new ProducerRecord<>(topic, input.key(), json.writeValueAsString(order)));
			}
			producer.flush();
		}
	}

	private static String log(ChildJvm sample) throws Exception {
		return Files.readString(sample.logFile());
	}

	/**
	 * Reads the id of an enriched order, as the exactly-once verifier expects output values
	 * to start with the input id.
	 */
	public static class EnrichedOrderIdDeserializer implements Deserializer<String> {

		@Override
		public String deserialize(String topic, byte[] data) {
			return (data != null) ? json.readValue(data, EnrichedOrder.class).id() : null;
		}

	}

}
