package dev.kafkastream.devbroker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kafkastream.handler.KafkaStreamHandler;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Runs applications with the development broker: it starts when nothing is configured,
 * creates the configured topics, keeps its data in a data directory between runs and
 * stops only after the pipelines' final checkpoint.
 */
class DevelopmentBrokerIT {

	private static final String IN_TESTS = "--kafka-stream.dev-broker.skip.in-tests=false";

	@Test
	void startsWhenNoServersAreConfiguredCreatesTheTopicsAndStopsWithTheContext() throws Exception {
		DevelopmentBroker broker;
		String servers;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(EmptyConfiguration.class)
			.web(WebApplicationType.NONE)
			.run(IN_TESTS, "--kafka-stream.dev-broker.partitions=2",
					"--kafka-stream.sources.orders.topics=orders,returns",
					"--kafka-stream.sources.orders.on-handler-error=dead-letter",
					"--kafka-stream.sources.payments.topics=payments",
					"--kafka-stream.sources.payments.on-deserialization-error=dead-letter",
					"--kafka-stream.sources.payments.dead-letter-topic=payments-failed",
					"--kafka-stream.sinks.enriched.topic=orders-enriched")) {
			broker = context.getBean(DevelopmentBrokerListener.BEAN_NAME, DevelopmentBroker.class);
			servers = context.getEnvironment().getProperty("spring.kafka.bootstrap-servers");
			assertThat(servers).isEqualTo(broker.getBootstrapServers()).startsWith("localhost:");
			assertThat(broker.isTemporary()).isTrue();
			try (Admin admin = admin(servers)) {
				Map<String, TopicDescription> topics = admin.describeTopics(List.of("orders", "returns", "orders.DLT",
						"returns.DLT", "payments", "payments-failed", "orders-enriched"))
					.allTopicNames()
					.get(30, TimeUnit.SECONDS);
				assertThat(topics.values()).allSatisfy((topic) -> assertThat(topic.partitions()).hasSize(2));
				assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("payments.DLT");
			}
		}
		assertThat(broker.getDataDirectory()).doesNotExist();
		assertThat(accepts(servers)).as("broker %s still listening", servers).isFalse();
	}

	@Test
	void keepsItsDataBetweenRunsInTheDataDirectory(@TempDir Path directory) throws Exception {
		Path data = directory.resolve("kafka");
		String[] args = { IN_TESTS, "--kafka-stream.dev-broker.data-directory=" + data,
				"--kafka-stream.sinks.out.topic=kept" };
		try (ConfigurableApplicationContext first = new SpringApplicationBuilder(EmptyConfiguration.class)
			.web(WebApplicationType.NONE)
			.run(args)) {
			try (KafkaProducer<String, String> producer = producer(servers(first))) {
				producer.send(new ProducerRecord<>("kept", "key", "written in the first run")).get(30, TimeUnit.SECONDS);
			}
		}
		assertThat(data.resolve("meta.properties")).exists();
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(EmptyConfiguration.class)
			.web(WebApplicationType.NONE)
			.run(args)) {
			assertThat(second.getBean(DevelopmentBroker.class).isTemporary()).isFalse();
			assertThat(readAll(servers(second), "kept", 1)).extracting(ConsumerRecord::value)
				.containsExactly("written in the first run");
		}
		assertThat(data).isDirectory();
	}

	@Test
	void failsToStartOnADataDirectoryInUse(@TempDir Path directory) {
		String[] args = { IN_TESTS, "--kafka-stream.dev-broker.data-directory=" + directory.resolve("kafka") };
		try (ConfigurableApplicationContext first = new SpringApplicationBuilder(EmptyConfiguration.class)
			.web(WebApplicationType.NONE)
			.run(args)) {
			assertThatIllegalStateException()
				.isThrownBy(() -> new SpringApplicationBuilder(EmptyConfiguration.class).web(WebApplicationType.NONE)
					.run(args))
				.withMessageContaining(directory.resolve("kafka").toString())
				.withMessageContaining("'kafka-stream.dev-broker.data-directory'");
			assertThat(accepts(servers(first))).isTrue();
		}
	}

	@Test
	void stopsAfterThePipelinesFinalCheckpoint(@TempDir Path directory) throws Exception {
		int records = 20;
		String[] args = { IN_TESTS, "--kafka-stream.dev-broker.data-directory=" + directory.resolve("kafka"),
				// no periodic checkpoint during the run: only the final one commits
				"--kafka-stream.checkpoint.interval=1h", "--kafka-stream.sources.in.topics=in",
				"--kafka-stream.sources.in.group-id=final-checkpoint",
				"--kafka-stream.sources.in.starting-offsets=earliest" };
		try (ConfigurableApplicationContext first = new SpringApplicationBuilder(PipelineApplication.class)
			.web(WebApplicationType.NONE)
			.run(args)) {
			try (KafkaProducer<String, String> producer = producer(servers(first))) {
				for (int i = 0; i < records; i++) {
					producer.send(new ProducerRecord<>("in", "key-" + (i % 3), "value-" + i));
				}
			}
			AtomicInteger handled = first.getBean(PipelineApplication.class).handled;
			await("records handled").atMost(Duration.ofSeconds(60)).until(handled::get, (count) -> count == records);
			try (Admin admin = admin(servers(first))) {
				assertThat(committed(admin)).as("committed before the context closed").isEmpty();
			}
		}
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(EmptyConfiguration.class)
			.web(WebApplicationType.NONE)
			.run(args)) {
			try (Admin admin = admin(servers(second))) {
				Map<TopicPartition, OffsetAndMetadata> committed = committed(admin);
				assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(records);
			}
		}
	}

	private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin) throws Exception {
		return admin.listConsumerGroupOffsets("final-checkpoint")
			.partitionsToOffsetAndMetadata()
			.get(30, TimeUnit.SECONDS);
	}

	private static String servers(ConfigurableApplicationContext context) {
		return context.getBean(DevelopmentBroker.class).getBootstrapServers();
	}

	private static Admin admin(String servers) {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers));
	}

	private static KafkaProducer<String, String> producer(String servers) {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers), new StringSerializer(),
				new StringSerializer());
	}

	private static List<ConsumerRecord<String, String>> readAll(String servers, String topic, int expected) {
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers), new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			await(topic).atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
				return records.size() >= expected;
			});
		}
		return records;
	}

	private static boolean accepts(String servers) {
		String[] hostAndPort = servers.split(":");
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1])), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class EmptyConfiguration {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class PipelineApplication {

		final AtomicInteger handled = new AtomicInteger();

		@KafkaStreamHandler(source = "in")
		void handle(String value) {
			this.handled.incrementAndGet();
		}

	}

}
