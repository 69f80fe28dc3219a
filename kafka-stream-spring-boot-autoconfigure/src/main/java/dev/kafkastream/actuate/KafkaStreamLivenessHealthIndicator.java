package dev.kafkastream.actuate;

import java.util.function.Supplier;

import dev.kafkastream.runtime.KafkaStreamRuntime;

import org.springframework.boot.health.contributor.Health;

/**
 * Liveness of the kafka-stream pipelines, contributed as {@code kafkaStreamLiveness} for
 * the {@code liveness} health group: {@code DOWN} once a source failed with a failure
 * that restarting the application cures, such as a broker that could not be reached for
 * longer than the recovery allowed; {@code UP} otherwise, also after a failure a restart
 * would only repeat (a record that fails every time, a configuration error), which
 * restarting the application in a loop cannot fix. Spring Boot's liveness state follows
 * the same rule (see {@link KafkaStreamLivenessStatePublisher}).
 */
public class KafkaStreamLivenessHealthIndicator extends PipelineStatesHealthIndicator {

	public KafkaStreamLivenessHealthIndicator(Supplier<KafkaStreamRuntime> runtime) {
		super(runtime, "kafka-stream liveness check failed");
	}

	@Override
	void judge(HealthSnapshot states, Health.Builder builder) {
		KafkaStreamHealthRules.liveness(states, builder);
	}

}
