package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker that is never started again (an instance retired, or the concurrency lowered)
 * leaves its transaction open: every read_committed reader of the output is blocked until
 * the transaction times out. The running application must find it and fence it within
 * seconds, and show it among its lingering transactions until then.
 */
class AbandonedTransactionIT {

	private static final Logger logger = LoggerFactory.getLogger(AbandonedTransactionIT.class);

	/** The abandoned transaction's own timeout: the broker would abort it only then. */
	private static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

	@Test
	void readerBlockedByARetiredWorkersOpenTransactionIsUnblockedWithinSeconds() {
		String bootstrap = KafkaTestBroker.embedded().bootstrapServers();
		String input = KafkaTestBroker.uniqueTopicName("abandoned-in");
		String output = KafkaTestBroker.uniqueTopicName("abandoned-out");
		KafkaTestBroker.embedded().createTopic(input, 3);
		KafkaTestBroker.embedded().createTopic(output, 3);
		List<TestRecords.Input> inputs = TestRecords.produce(bootstrap, input, 3_000, 100);
		// worker 2 of instance "retired" of this application: <prefix>-<instance-id>-<source>-<worker>
		KafkaProducer<String, String> retired = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				bootstrap, ProducerConfig.TRANSACTIONAL_ID_CONFIG, output + "-retired-in-2",
				ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis(),
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
		try {
			retired.initTransactions();
			retired.beginTransaction();
			for (int partition = 0; partition < 3; partition++) {
				retired.send(new ProducerRecord<>(output, partition, "abandoned", "never committed"));
			}
			retired.flush();
			long abandoned = System.nanoTime();
			try (ConfigurableApplicationContext context = PipelineArguments
				.inToOut(bootstrap, input, output, "exactly-once", "live")
				.with("--kafka-stream.checkpoint.timeout=10s")
				.run(PassThroughApplication.class)) {
				KafkaStreamRuntime runtime = context.getBean(KafkaStreamLifecycle.class).getRuntime();
				// aborted once open for longer than a checkpoint cycle (11 s), shown until then
				await("the lingering transaction shown").atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(50))
					.untilAsserted(() -> assertThat(runtime.lingeringTransactions()).singleElement()
						.satisfies((transaction) -> {
							assertThat(transaction.transactionalId()).isEqualTo(output + "-retired-in-2");
							assertThat(transaction.partitions()).containsExactly(output + "-0", output + "-1",
									output + "-2");
						}));
				ExactlyOnceVerifier.of(bootstrap, output, inputs).awaitExactlyOnce(Duration.ofSeconds(40));
				assertThat(runtime.lingeringTransactions()).as("once aborted").isEmpty();
				Duration blocked = Duration.ofNanos(System.nanoTime() - abandoned);
				logger.info("The retired worker's transaction blocked read_committed readers for {} ms",
						blocked.toMillis());
				assertThat(blocked).isLessThan(TRANSACTION_TIMEOUT.dividedBy(20));
			}
		}
		finally {
			// without aborting: closing normally would abort the transaction
			retired.close(Duration.ZERO);
		}
	}

}
