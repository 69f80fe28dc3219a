package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;

import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.test.EmbeddedKafkaStream;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

// The user test shown in README.md and docs/testing.md, verbatim from here on: keep them in step.
@SpringBootTest(properties = { "kafka-stream.sources.orders.topics=orders", "kafka-stream.sources.orders.group-id=copier",
		"kafka-stream.sinks.copies.topic=order-copies", "kafka-stream.sinks.copies.delivery-guarantee=exactly-once",
		"kafka-stream.sinks.copies.transactional-id-prefix=copier" })
@EmbeddedKafkaStream(partitions = 3)
class CopyPipelineIT {

	@Autowired
	KafkaTestBroker kafka;

	@Test
	void everyOrderIsCopiedExactlyOnce() {
		List<TestRecords.Input> orders = TestRecords.produce(kafka.bootstrapServers(), "orders", 1_000, 10);
		ExactlyOnceVerifier.of(kafka.bootstrapServers(), "order-copies", orders)
			.awaitExactlyOnce(Duration.ofSeconds(60));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CopyApplication {

		@KafkaStreamHandler(source = "orders", sink = "copies")
		String copy(String order) {
			return order + "|copied";
		}

	}

}
