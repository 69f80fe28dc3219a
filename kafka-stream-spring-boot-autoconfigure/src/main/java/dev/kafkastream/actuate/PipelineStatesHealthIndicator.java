package dev.kafkastream.actuate;

import java.util.function.Supplier;

import dev.kafkastream.runtime.KafkaStreamRuntime;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * A health indicator judging the states and failures of the pipelines only: the base of
 * the probe contributors.
 */
abstract class PipelineStatesHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<KafkaStreamRuntime> runtime;

	PipelineStatesHealthIndicator(Supplier<KafkaStreamRuntime> runtime, String healthCheckFailedMessage) {
		super(healthCheckFailedMessage);
		this.runtime = runtime;
	}

	@Override
	protected final void doHealthCheck(Health.Builder builder) {
		judge(HealthSnapshot.ofStates(this.runtime.get()), builder);
	}

	abstract void judge(HealthSnapshot states, Health.Builder builder);

}
