package dev.kafkastream.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.kafkastream.test.EmbeddedKafkaStream;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Boots the sample on the test support's shared embedded broker ({@link EmbeddedKafkaStream}),
 * posts orders over HTTP and checks the enriched orders a {@code read_committed} consumer sees
 * on {@code orders-enriched}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.generator.enabled=false")
@EmbeddedKafkaStream(partitions = 3)
class SampleApplicationIT {

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private ConfigurableEnvironment environment;

	@Autowired
	private JsonMapper jsonMapper;

	@Autowired
	private KafkaTestBroker kafka;

	@Test
	void enrichesPostedOrdersExactlyOnce() throws Exception {
		assertThat(this.environment.getProperty("spring.kafka.bootstrap-servers")).isEqualTo(this.kafka.bootstrapServers());
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

		// Everything a read_committed reader sees once the last transaction is committed and none is open.
		TopicContent content = await("enriched orders").atMost(Duration.ofSeconds(60))
			.until(() -> TopicContent.readCommitted(this.kafka.bootstrapServers(), "orders-enriched"),
					(read) -> read.records().size() >= valid.size() && read.openTransactions().isEmpty());
		assertThat(this.kafka.admin().describeTopics(List.of("orders-enriched")).allTopicNames().get()
			.get("orders-enriched").partitions()).hasSize(3);
		List<ConsumerRecord<String, String>> output = content.stringRecords();

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

}
