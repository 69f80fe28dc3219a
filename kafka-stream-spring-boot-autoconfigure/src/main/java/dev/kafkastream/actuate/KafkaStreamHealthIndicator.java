package dev.kafkastream.actuate;

import java.time.Clock;
import java.util.function.Supplier;

import dev.kafkastream.runtime.KafkaStreamRuntime;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the kafka-stream pipelines, contributed as {@code kafkaStream}: {@code DOWN}
 * when a pipeline failed, when more checkpoints failed in a row than tolerated, or when
 * no checkpoint completed for longer than the maximum age while a pipeline is active;
 * {@code OUT_OF_SERVICE} when the lag of a source is above the maximum; {@code UNKNOWN}
 * without pipelines; {@code UP} otherwise, also while a source is paused on purpose or
 * finished. Details show each source's state, lag, whether the lag is stale, the age of
 * its last checkpoint and its failure.
 * <p>
 * It reads only what the runtime keeps in memory (the lag comes from end offsets looked
 * up in the background), so a health request never waits on the broker.
 */
public class KafkaStreamHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<KafkaStreamRuntime> runtime;

	private final KafkaStreamHealthThresholds thresholds;

	private final KafkaStreamHealthRules rules;

	private final Clock clock;

	public KafkaStreamHealthIndicator(Supplier<KafkaStreamRuntime> runtime, KafkaStreamHealthThresholds thresholds) {
		this(runtime, thresholds, Clock.systemUTC());
	}

	KafkaStreamHealthIndicator(Supplier<KafkaStreamRuntime> runtime, KafkaStreamHealthThresholds thresholds,
			Clock clock) {
		super("kafka-stream health check failed");
		this.runtime = runtime;
		this.thresholds = thresholds;
		this.rules = new KafkaStreamHealthRules(thresholds);
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		HealthSnapshot snapshot = HealthSnapshot.of(this.runtime.get(), this.clock.instant());
		this.rules.health(snapshot, this.clock.instant(), builder);
	}

}
