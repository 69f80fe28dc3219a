package dev.kafkastream.it;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.EmbeddedKafkaBrokerSupport;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backpressure: a handler whose batches take longer than {@code max.poll.interval.ms},
 * and a sink throttled by a broker quota, slow consumption down; the consumer stays in its
 * group and nothing is handled twice, lost or duplicated.
 */
class BackpressureIT {

	private static final int RECORDS = 3_000;

	private final EmbeddedKafkaBrokerSupport kafka = KafkaTestBroker.embedded();

	@Test
	void batchesSlowerThanTheMaxPollIntervalKeepTheConsumerInItsGroup() {
		String input = topic("slow-in");
		String output = topic("slow-out");
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, 50);
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", "slow")
			// a 500-record batch at 300 records/s takes about 1.7 s, above the 1 s poll interval
			.with("--test.handler.records-per-second=300",
					"--kafka-stream.sources.in.properties.max.poll.interval.ms=1000")
			.run(PassThroughApplication.class)) {
			assertExactlyOnceWithoutRebalance(context, output, inputs);
		}
	}

	@Test
	void aSinkThrottledByABrokerQuotaSlowsConsumptionDown() throws Exception {
		String input = topic("throttled-in");
		String output = topic("throttled-out");
		List<TestRecords.Input> inputs = TestRecords.produce(this.kafka.bootstrapServers(), input, RECORDS, 50);
		String producerClientId = "throttled-" + input + "-in-0-producer";
		this.kafka.admin()
			.alterClientQuotas(List.of(new ClientQuotaAlteration(
					new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, producerClientId)),
					List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 4_096.0)))))
			.all()
			.get();
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(this.kafka.bootstrapServers(), input, output, "exactly-once", "throttled")
			.with("--kafka-stream.sources.in.client-id-prefix=throttled-" + input)
			.run(PassThroughApplication.class)) {
			assertExactlyOnceWithoutRebalance(context, output, inputs);
			// the broker did hold the producer back
			assertThat(producerMetric(producerClientId, "produce-throttle-time-max")).isGreaterThan(0.0);
		}
	}

	private void assertExactlyOnceWithoutRebalance(ConfigurableApplicationContext context, String output,
			List<TestRecords.Input> inputs) {
		ExactlyOnceVerifier.of(this.kafka.bootstrapServers(), output, inputs).awaitExactlyOnce(Duration.ofMinutes(2));
		PassThroughApplication.PassThroughHandler handler = context
			.getBean(PassThroughApplication.PassThroughHandler.class);
		assertThat(handler.handled()).isEqualTo(RECORDS);
		assertThat(handler.mostCallsForOneRecord()).isOne();
		KafkaStreamRuntime runtime = context.getBean(KafkaStreamLifecycle.class).getRuntime();
		await().atMost(Duration.ofSeconds(30)).until(() -> runtime.pipeline("in").orElseThrow().state() == PipelineState.RUNNING);
		assertThat(runtime.checkpoints().counts().failed()).isZero();
	}

	private static double producerMetric(String clientId, String name) throws Exception {
		MBeanServer server = ManagementFactory.getPlatformMBeanServer();
		Object value = server.getAttribute(
				new ObjectName("kafka.producer:type=producer-metrics,client-id=" + clientId), name);
		return ((Number) value).doubleValue();
	}

	private String topic(String name) {
		String topic = KafkaTestBroker.uniqueTopicName(name);
		this.kafka.createTopic(topic, 1);
		return topic;
	}

}
