package dev.kafkastream.actuate;

import java.util.function.Supplier;

import dev.kafkastream.runtime.KafkaStreamRuntime;

import org.springframework.boot.health.contributor.Health;

/**
 * Readiness of the kafka-stream pipelines, contributed as {@code kafkaStreamReadiness}
 * for the {@code readiness} health group: {@code OUT_OF_SERVICE} until every source
 * joined its group and positioned the partitions it was given (an instance given none is
 * ready), and again once a source failed or stopped; {@code UP} while every source runs,
 * is paused or is finished.
 */
public class KafkaStreamReadinessHealthIndicator extends PipelineStatesHealthIndicator {

	public KafkaStreamReadinessHealthIndicator(Supplier<KafkaStreamRuntime> runtime) {
		super(runtime, "kafka-stream readiness check failed");
	}

	@Override
	void judge(HealthSnapshot states, Health.Builder builder) {
		KafkaStreamHealthRules.readiness(states, builder);
	}

}
