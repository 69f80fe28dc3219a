package dev.kafkastream.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.kafkastream.checkpoint.CheckpointCoordinator;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the kafka-stream pipelines: DOWN when a pipeline failed, UP while they run,
 * UNKNOWN when there is no pipeline. Reads state the workers keep up to date, so it does
 * no I/O on the request path.
 */
public class KafkaStreamHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<KafkaStreamRuntime> runtime;

	public KafkaStreamHealthIndicator(Supplier<KafkaStreamRuntime> runtime) {
		super("kafka-stream health check failed");
		this.runtime = runtime;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		KafkaStreamRuntime runtime = this.runtime.get();
		if (runtime.pipelines().isEmpty()) {
			builder.unknown();
			return;
		}
		boolean failed = false;
		Map<String, Object> pipelines = new LinkedHashMap<>();
		for (Pipeline pipeline : runtime.pipelines()) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("state", pipeline.state());
			if (pipeline.failure() != null) {
				details.put("failure", pipeline.failure());
			}
			pipelines.put(pipeline.name(), details);
			failed |= pipeline.state() == PipelineState.FAILED;
		}
		CheckpointCoordinator.CheckpointCounts counts = runtime.checkpoints().counts();
		builder.status(failed ? Status.DOWN
				: Status.UP)
			.withDetail("running", runtime.isRunning())
			.withDetail("pipelines", pipelines)
			.withDetail("checkpoints", Map.of("completed", counts.completed(), "failed", counts.failed(),
					"consecutiveFailures", counts.consecutiveFailures()));
		runtime.checkpoints()
			.latestCompleted()
			.ifPresent((latest) -> builder.withDetail("latestCheckpoint",
					Map.of("id", latest.id(), "time", latest.triggerTime())));
	}

}
