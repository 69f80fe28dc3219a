package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kafkastream.checkpoint.CheckpointSettings;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.source.KafkaSourceSpec;
import dev.kafkastream.source.Subscription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for which transactions {@link AbandonedTransactionFencer} considers, and when.
 */
class AbandonedTransactionFencerTests {

	@Test
	void thresholdIsACheckpointCycle() {
		assertThat(AbandonedTransactionFencer.threshold(CheckpointSettings.ofInterval(Duration.ofSeconds(1))))
			.isEqualTo(Duration.ofSeconds(31));
		assertThat(AbandonedTransactionFencer.threshold(new CheckpointSettings(Duration.ofMillis(500),
				Duration.ofSeconds(2), Duration.ofMillis(500), 10)))
			.isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void considersTheApplicationsWorkersAndSinksButNotThisInstancesOwn() {
		AbandonedTransactionFencer fencer = fencer(pipeline(KafkaSourceSpec.builder().topics("orders"), 2),
				sink("audit", DeliveryGuarantee.EXACTLY_ONCE));
		assertThat(fencer).isNotNull();
		assertThat(fencer.isAbandonedCandidate("app-host-orders-0")).isFalse();
		assertThat(fencer.isAbandonedCandidate("app-host-orders-1")).isFalse();
		assertThat(fencer.isAbandonedCandidate("app-host-orders-2")).isTrue();
		assertThat(fencer.isAbandonedCandidate("app-retired-orders-0")).isTrue();
		assertThat(fencer.isAbandonedCandidate("app-host-sink-audit")).isFalse();
		assertThat(fencer.isAbandonedCandidate("app-retired-sink-audit")).isTrue();
		assertThat(fencer.isAbandonedCandidate("other-retired-orders-0")).isFalse();
		assertThat(fencer.isAbandonedCandidate("app-retired-payments-0")).isFalse();
	}

	@Test
	void explicitPartitionsOfThisInstanceAreItsOwn() {
		AbandonedTransactionFencer fencer = fencer(
				pipeline(KafkaSourceSpec.builder()
					.subscription(Subscription.partitions(
							List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1))))
					.concurrency(1), 1));
		assertThat(fencer).isNotNull();
		assertThat(fencer.isAbandonedCandidate("app-orders-partitions-orders-0,orders-1")).isFalse();
		assertThat(fencer.isAbandonedCandidate("app-orders-partitions-orders-0")).isTrue();
	}

	@Test
	void nothingToDoWithoutExactlyOnce() {
		PipelineSpec atLeastOnce = PipelineSpec.builder()
			.source(KafkaSourceSpec.builder().name("orders").topics("orders").groupId("g").build())
			.handler((record, output) -> {
			})
			.sink(sink("out", DeliveryGuarantee.AT_LEAST_ONCE))
			.build();
		assertThat(AbandonedTransactionFencer.of(List.of(atLeastOnce),
				List.of(sink("audit", DeliveryGuarantee.AT_LEAST_ONCE)), "host",
				CheckpointSettings.ofInterval(Duration.ofSeconds(1)), KafkaClients.standard()))
			.isNull();
	}

	private static PipelineSpec pipeline(KafkaSourceSpec.Builder source, int concurrency) {
		return PipelineSpec.builder()
			.source(source.name("orders").groupId("g").concurrency(concurrency).build())
			.handler((record, output) -> {
			})
			.sink(sink("out", DeliveryGuarantee.EXACTLY_ONCE))
			.build();
	}

	private static KafkaSinkSpec sink(String name, DeliveryGuarantee guarantee) {
		return KafkaSinkSpec.builder()
			.name(name)
			.topic(name)
			.deliveryGuarantee(guarantee)
			.transactionalIdPrefix("app")
			.producerProperties(Map.of("bootstrap.servers", "localhost:9092"))
			.build();
	}

	private static AbandonedTransactionFencer fencer(PipelineSpec pipeline, KafkaSinkSpec... sinks) {
		return AbandonedTransactionFencer.of(List.of(pipeline), List.of(sinks), "host",
				CheckpointSettings.ofInterval(Duration.ofSeconds(1)), KafkaClients.standard());
	}

}
