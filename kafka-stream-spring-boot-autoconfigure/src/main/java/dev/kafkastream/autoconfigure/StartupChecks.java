package dev.kafkastream.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import dev.kafkastream.autoconfigure.ClusterChecks.TopicWrite;
import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.runtime.KafkaClients;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineSpec;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up dry run ({@code kafka-stream.validate-on-startup}): checks against the
 * brokers, before any record is processed, that every source topic exists (a pattern
 * matches one), every sink and dead-letter topic exists or the brokers create topics,
 * the brokers admit every exactly-once sink's transaction timeout, and the principal may
 * read, commit, write and use its transactional ids (see {@link ClusterChecks}). The
 * checks of every cluster run concurrently, one admin client per distinct
 * configuration, within {@code kafka-stream.validation-timeout}: brokers that do not
 * answer in time are not checked (a warning says so) and the pipelines retry until they
 * answer. Every problem found is reported at once: as a
 * {@link KafkaStreamConfigurationException} ({@link StartupValidation#FAIL}) or as a
 * warning ({@link StartupValidation#WARN}).
 */
class StartupChecks implements Consumer<KafkaStreamRuntime> {

	private static final Logger logger = LoggerFactory.getLogger(StartupChecks.class);

	private final KafkaStreamProperties properties;

	private final KafkaClients clients;

	private final String instanceId;

	StartupChecks(KafkaStreamProperties properties, KafkaClients clients, String instanceId) {
		this.properties = properties;
		this.clients = clients;
		this.instanceId = instanceId;
	}

	@Override
	public void accept(KafkaStreamRuntime runtime) {
		long start = System.nanoTime();
		List<StartupProblem> problems = problems(runtime);
		if (problems.isEmpty()) {
			logger.debug("The start-up checks took {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
			return;
		}
		if (this.properties.getValidateOnStartup() == StartupValidation.WARN) {
			logger.warn("{}; starting anyway (kafka-stream.validate-on-startup=warn)", describe(problems));
			return;
		}
		throw exception(problems);
	}

	/**
	 * Runs the checks.
	 * @param runtime the runtime whose pipelines to check
	 * @return every problem found
	 */
	List<StartupProblem> problems(KafkaStreamRuntime runtime) {
		Map<Map<String, Object>, ClusterChecks> clusters = new LinkedHashMap<>();
		List<Runnable> deadLetters = new ArrayList<>();
		for (Pipeline pipeline : runtime.pipelines()) {
			plan(pipeline, clusters, deadLetters);
		}
		if (clusters.isEmpty()) {
			return List.of();
		}
		Duration timeout = this.properties.getValidationTimeout();
		long deadline = System.nanoTime() + timeout.toNanos();
		List<StartupProblem> problems = new ArrayList<>();
		List<Admin> admins = new ArrayList<>();
		try {
			clusters.forEach((config, cluster) -> {
				try {
					Admin admin = this.clients.createAdmin(adminConfig(config, timeout));
					admins.add(admin);
					cluster.describe(admin);
				}
				catch (RuntimeException ex) {
					// its message may quote a setting: the pipelines' clients report the cause
					logger.warn("The start-up checks of the brokers at {} were skipped: no admin client could be"
							+ " created ({})", cluster.servers(), ex.getClass().getName());
				}
			});
			for (ClusterChecks cluster : clusters.values()) {
				if (cluster.described()) {
					try {
						cluster.awaitDescribed(deadline);
					}
					catch (TimeoutException | RuntimeException ex) {
						skipped(cluster, ex, timeout);
					}
				}
			}
			deadLetters.forEach(Runnable::run);
			clusters.values().stream().filter(ClusterChecks::answered).forEach(ClusterChecks::check);
			for (ClusterChecks cluster : clusters.values()) {
				if (cluster.answered()) {
					try {
						problems.addAll(cluster.awaitChecked(deadline));
					}
					catch (TimeoutException | RuntimeException ex) {
						skipped(cluster, ex, timeout);
					}
				}
			}
		}
		finally {
			admins.forEach((admin) -> admin.close(Duration.ZERO));
		}
		return problems;
	}

	private static void skipped(ClusterChecks cluster, Exception ex, Duration timeout) {
		if (ex instanceof TimeoutException) {
			logger.warn("The brokers at {} did not answer the start-up checks within {}"
					+ " (kafka-stream.validation-timeout): the checks were skipped; the pipelines retry until the"
					+ " brokers answer", cluster.servers(), timeout);
		}
		else {
			logger.warn("The start-up checks of the brokers at {} were skipped: {}; the pipelines retry until the"
					+ " brokers answer", cluster.servers(), ex.toString());
		}
	}

	/**
	 * Registers what a pipeline needs with the checks of the clusters it reaches.
	 */
	private void plan(Pipeline pipeline, Map<Map<String, Object>, ClusterChecks> clusters,
			List<Runnable> deadLetters) {
		PipelineSpec spec = pipeline.spec();
		KafkaSourceSpec source = spec.source();
		String prefix = "kafka-stream.sources." + source.name();
		ClusterChecks sourceCluster = cluster(source.adminProperties(), clusters);
		boolean exactlyOnce = spec.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE;
		sourceCluster.reads(source, topicsProperty(source.name()),
				source.subscription().usesGroup() || source.commitOffsets() || exactlyOnce);
		for (KafkaSinkSpec sink : spec.sinks()) {
			String topic = sink.topic();
			if (topic != null && sink.topicSelector() == null) {
				cluster(sink.adminProperties(), clusters).writes(new TopicWrite(topic,
						"kafka-stream.sinks." + sink.name() + ".topic", "Sink '" + sink.name() + "'", "records",
						"fix the property"));
			}
		}
		KafkaSinkSpec producerSink = spec.producerSink();
		if (exactlyOnce && producerSink != null) {
			ClusterChecks sinkCluster = cluster(producerSink.adminProperties(), clusters);
			sinkCluster.transactionTimeout(producerSink);
			for (String transactionalId : pipeline.transactionalIds()) {
				sinkCluster.transactionalId(transactionalId, producerSink.name());
			}
		}
		if (source.writesDeadLetters()) {
			// dead letters go through the pipeline's producer, or the source's own
			ClusterChecks deadLetterCluster = (producerSink != null) ? cluster(producerSink.adminProperties(), clusters)
					: cluster(source.adminProperties(), clusters);
			deadLetters.add(() -> sourceCluster.topicsOf(source)
				.stream()
				.map(source::deadLetterTopic)
				.distinct()
				.forEach((topic) -> deadLetterCluster.writes(new TopicWrite(topic, prefix + ".dead-letter-topic",
						"Source '" + source.name() + "'", "dead letters", "set the property to an existing topic"))));
		}
	}

	private String topicsProperty(String source) {
		KafkaStreamProperties.Source properties = this.properties.getSources().get(source);
		String prefix = "kafka-stream.sources." + source;
		if (properties != null && properties.getTopicPattern() != null) {
			return prefix + ".topic-pattern";
		}
		if (properties != null && !properties.getPartitions().isEmpty()) {
			return prefix + ".partitions";
		}
		return prefix + ".topics";
	}

	private static ClusterChecks cluster(Map<String, Object> adminProperties,
			Map<Map<String, Object>, ClusterChecks> clusters) {
		return clusters.computeIfAbsent(adminProperties,
				(config) -> new ClusterChecks(servers(config.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG))));
	}

	private static String servers(Object servers) {
		return (servers instanceof Collection<?> list)
				? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(servers);
	}

	private Map<String, Object> adminConfig(Map<String, Object> adminProperties, Duration timeout) {
		Map<String, Object> config = new LinkedHashMap<>(adminProperties);
		config.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-stream-" + this.instanceId + "-startup-checks");
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
		config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
		return config;
	}

	/**
	 * Describes the problems, each with its property and fix.
	 * @param problems the problems, at least one
	 * @return the description
	 */
	static String describe(List<StartupProblem> problems) {
		if (problems.size() == 1) {
			return "The start-up check found a problem: " + problems.get(0);
		}
		StringBuilder description = new StringBuilder("The start-up checks found " + problems.size() + " problems:");
		problems.forEach((problem) -> description.append("\n  - ").append(problem));
		return description.toString();
	}

	private static KafkaStreamConfigurationException exception(List<StartupProblem> problems) {
		if (problems.size() == 1) {
			StartupProblem problem = problems.get(0);
			return new KafkaStreamConfigurationException(problem.property(), problem.problem(), problem.action());
		}
		String properties = String.join("', '",
				problems.stream().map(StartupProblem::property).distinct().toList());
		return new KafkaStreamConfigurationException(properties, describe(problems) + "\n",
				"Fix each problem listed, or set kafka-stream.validate-on-startup=warn to start anyway.");
	}

}
