package dev.kafkastream.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.core.OutputRecord;
import dev.kafkastream.sink.KafkaStreamSink;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A web application whose REST endpoint sends through an exactly-once sink bean is shut
 * down while a request is in the endpoint: the web server's graceful shutdown (Boot's
 * default) drains the request, and the sink still accepts and commits its record,
 * because the kafka-stream lifecycle stops only after the drain.
 */
class GracefulShutdownIT {

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void requestSendingThroughASinkDuringTheDrainSucceedsAndIsCommitted() throws Exception {
		String topic = KafkaTestBroker.uniqueTopicName("graceful");
		this.kafka.createTopic(topic, 3);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(WebSenderApplication.class)
			.web(WebApplicationType.SERVLET)
			.run("--server.port=0", "--server.address=127.0.0.1",
					"--kafka-stream.bootstrap-servers=" + this.kafka.bootstrapServers(),
					"--kafka-stream.instance-id=" + topic, "--kafka-stream.checkpoint.interval=500ms",
					"--kafka-stream.sinks.out.topic=" + topic,
					"--kafka-stream.sinks.out.delivery-guarantee=exactly-once",
					"--kafka-stream.sinks.out.transactional-id-prefix=" + topic);
		CompletableFuture<Void> closed = null;
		try {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			SlowSender sender = context.getBean(SlowSender.class);
			WebServerGracefulShutdownLifecycle drain = context.getBean(WebServerGracefulShutdownLifecycle.class);
			HttpClient http = HttpClient.newHttpClient();
			CompletableFuture<HttpResponse<String>> response = http.sendAsync(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/send/0"))
						.POST(HttpRequest.BodyPublishers.noBody())
						.timeout(Duration.ofSeconds(60))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(sender.entered.await(30, TimeUnit.SECONDS)).as("request in the endpoint").isTrue();

			closed = CompletableFuture.runAsync(context::close);
			await("graceful shutdown of the web server under way").atMost(Duration.ofSeconds(30))
				.until(() -> !drain.isRunning());
			sender.release.countDown();

			HttpResponse<String> sent = response.get(60, TimeUnit.SECONDS);
			assertThat(sent.statusCode()).as("response: %s", sent.body()).isEqualTo(200);
			assertThat(sent.body()).startsWith(topic + "-");
			closed.get(60, TimeUnit.SECONDS);
		}
		finally {
			if (closed == null) {
				context.close();
			}
		}
		ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), topic, TestRecords.expected(1, 1))
			.awaitExactlyOnce(Duration.ofSeconds(30));
	}

	/**
	 * An endpoint that sends through the sink once the test lets it, and answers when the
	 * record's transaction committed.
	 */
	@RestController
	static class SlowSender {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		private final KafkaStreamSink sink;

		SlowSender(KafkaStreamSink sink) {
			this.sink = sink;
		}

		@PostMapping("/send/{id}")
		String send(@PathVariable long id) throws Exception {
			this.entered.countDown();
			if (!this.release.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Not released");
			}
			RecordMetadata metadata = this.sink.send(OutputRecord.of(TestRecords.key(id, 1), TestRecords.value(id)))
				.get(30, TimeUnit.SECONDS);
			return metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class WebSenderApplication {

		@Bean
		SlowSender slowSender(@Qualifier("out") KafkaStreamSink sink) {
			return new SlowSender(sink);
		}

	}

}
