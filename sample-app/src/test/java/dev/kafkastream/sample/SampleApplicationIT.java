package dev.kafkastream.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Boots the sample on the development broker, posts orders over HTTP and checks the enriched
 * orders a {@code read_committed} consumer sees on {@code orders-enriched}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.generator.enabled=false", "kafka-stream.dev-broker.skip.in-tests=false" })
class SampleApplicationIT {

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private ConfigurableEnvironment environment;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private JsonMapper jsonMapper;

	@Test
	void enrichesPostedOrdersExactlyOnce() {
		assertThat(this.context.containsBean(StartupReport.DEVELOPMENT_BROKER)).isTrue();
		RestClient http = RestClient.create("http://localhost:" + this.port);
		List<Order> valid = IntStream.range(0, 30)
			.mapToObj((i) -> new Order("valid-" + i, "customer-" + (i % 4), "product-" + i, 1 + i % 5,
					10.25 * (i + 1)))
			.toList();
		List<Order> invalid = IntStream.range(0, 5)
			.mapToObj((i) -> new Order("invalid-" + i, "customer-" + i, "product", 0, 10))
			.toList();
		List<Order> all = new ArrayList<>(valid);
		all.addAll(3, invalid);
		for (Order order : all) {
			http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON).body(order).retrieve().toBodilessEntity();
		}

		List<ConsumerRecord<String, String>> output = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = readCommittedConsumer()) {
			List<TopicPartition> partitions = consumer.partitionsFor("orders-enriched")
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			assertThat(partitions).hasSize(3);
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			await("enriched orders").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(output::add);
				assertThat(output).hasSizeGreaterThanOrEqualTo(valid.size());
			});
			// Everything was committed by now: one more read finds nothing new (no duplicates).
			consumer.poll(Duration.ofMillis(500)).forEach(output::add);
		}

		Map<String, Order> sent = valid.stream().collect(Collectors.toMap(Order::id, Function.identity()));
		List<EnrichedOrder> enriched = output.stream()
			.map((record) -> this.jsonMapper.readValue(record.value(), EnrichedOrder.class))
			.toList();
		assertThat(enriched).extracting(EnrichedOrder::id).containsExactlyInAnyOrderElementsOf(sent.keySet());
		for (EnrichedOrder order : enriched) {
			Order source = sent.get(order.id());
			double total = OrderEnricher.total(source.quantity(), source.unitPrice());
			assertThat(order.total()).as("total of %s", order.id()).isEqualTo(total);
			assertThat(order.priority()).isEqualTo(EnrichedOrder.Priority.of(total));
			assertThat(order.customer()).isEqualTo(source.customer());
			assertThat(order.processedAt()).isNotNull();
		}
		// The output key is the input key: the customer.
		assertThat(output).allSatisfy((record) -> assertThat(record.key())
			.isEqualTo(sent.get(this.jsonMapper.readValue(record.value(), EnrichedOrder.class).id()).customer()));

		List<EnrichedOrder> latest = http.get()
			.uri("/orders/enriched?limit=100")
			.retrieve()
			.body(new ParameterizedTypeReference<List<EnrichedOrder>>() {
			});
		assertThat(latest).extracting(EnrichedOrder::id).containsExactlyInAnyOrderElementsOf(sent.keySet());
		assertThat(http.get().uri("/orders/enriched?limit=5").retrieve().body(List.class)).hasSize(5);
	}

	@Test
	void exposesHealthAndPipelines() {
		RestClient http = RestClient.create("http://localhost:" + this.port);
		Map<?, ?> health = http.get().uri("/actuator/health").retrieve().body(Map.class);
		assertThat(health.get("status")).isEqualTo("UP");
		Map<?, ?> kafkaStream = (Map<?, ?>) ((Map<?, ?>) health.get("components")).get("kafkaStream");
		assertThat(kafkaStream.get("status")).isEqualTo("UP");
		String pipelines = http.get().uri("/actuator/kafkastream").retrieve().body(String.class);
		assertThat(pipelines).contains("\"orders\"", "EXACTLY_ONCE", "orders-enriched");
	}

	private KafkaConsumer<String, String> readCommittedConsumer() {
		return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.environment.getRequiredProperty("spring.kafka.bootstrap-servers"),
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
				false), new StringDeserializer(), new StringDeserializer());
	}

}
