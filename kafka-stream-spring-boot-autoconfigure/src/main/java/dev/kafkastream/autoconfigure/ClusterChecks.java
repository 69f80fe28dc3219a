package dev.kafkastream.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up checks of the sources and sinks that reach one cluster with one
 * configuration, through one admin client, in two rounds of concurrent requests: first
 * the cluster and its topic names, then the topics, groups, transactional ids and a
 * broker's configuration they need.
 * <p>
 * Authorization is checked with the operations the brokers report the client's own
 * principal may perform ({@code includeAuthorizedOperations} of {@code describeTopics}
 * and {@code describeConsumerGroups}), not by reading the ACLs with
 * {@code describeAcls}: that would need {@code DESCRIBE} on the cluster, which an
 * application's principal rarely has, and re-implement the authorizer's matching
 * (prefixed and wildcard ACLs, deny rules, super users, other authorizers); the
 * brokers answer for exactly the principal and rules the pipelines will meet. A cluster
 * without an authorizer reports every operation as allowed. Brokers that report no
 * operations leave authorization unchecked (a debug line says so). Transactional ids
 * have no such report: their check is that the principal may describe them (which
 * {@code WRITE} implies), so a missing ACL is found, a {@code DESCRIBE}-only one is
 * not. {@code IDEMPOTENT_WRITE} is not checked: since Kafka 3.0 {@code WRITE} on a topic
 * grants it.
 */
final class ClusterChecks {

	private static final Logger logger = LoggerFactory.getLogger(ClusterChecks.class);

	static final String AUTO_CREATE = "auto.create.topics.enable";

	static final String TRANSACTION_MAX_TIMEOUT = "transaction.max.timeout.ms";

	private final String servers;

	private final List<SourceRead> reads = new ArrayList<>();

	private final Map<String, List<TopicWrite>> writes = new LinkedHashMap<>();

	private final Map<String, KafkaSinkSpec> exactlyOnceSinks = new LinkedHashMap<>();

	/** The sink using each transactional id. */
	private final Map<String, String> transactionalIds = new LinkedHashMap<>();

	private final Set<String> groups = new LinkedHashSet<>();

	private final List<StartupProblem> problems = new ArrayList<>();

	private @Nullable Admin admin;

	private @Nullable KafkaFuture<Set<String>> namesFuture;

	private @Nullable DescribeClusterResult clusterFuture;

	private Set<String> names = Set.of();

	private @Nullable Set<AclOperation> clusterOperations;

	private @Nullable Node node;

	private boolean answered;

	private @Nullable KafkaFuture<Map<ConfigResource, Config>> configFuture;

	private Map<String, KafkaFuture<TopicDescription>> topicFutures = Map.of();

	private Map<String, KafkaFuture<ConsumerGroupDescription>> groupFutures = Map.of();

	private Map<String, KafkaFuture<TransactionDescription>> transactionFutures = Map.of();

	/**
	 * Creates the checks of one cluster.
	 * @param servers the cluster's bootstrap servers, to name it in log lines
	 */
	ClusterChecks(String servers) {
		this.servers = servers;
	}

	/**
	 * Checks that a source's topics exist and that it may read them and its group.
	 * @param source the source
	 * @param topicsProperty the property that names its topics
	 * @param usesGroup whether it joins or commits to its consumer group
	 */
	void reads(KafkaSourceSpec source, String topicsProperty, boolean usesGroup) {
		this.reads.add(new SourceRead(source, topicsProperty));
		if (usesGroup) {
			this.groups.add(source.groupId());
		}
	}

	/**
	 * Checks that a topic exists, or that the brokers create it, and that it may be
	 * written.
	 * @param write the topic and who writes it
	 */
	void writes(TopicWrite write) {
		this.writes.computeIfAbsent(write.topic(), (topic) -> new ArrayList<>()).add(write);
	}

	/**
	 * Checks that the brokers admit the transaction timeout of an exactly-once sink.
	 * @param sink the sink
	 */
	void transactionTimeout(KafkaSinkSpec sink) {
		this.exactlyOnceSinks.putIfAbsent(sink.name(), sink);
	}

	/**
	 * Checks that the principal may use a transactional id.
	 * @param transactionalId the transactional id
	 * @param sink the sink whose producers use it
	 */
	void transactionalId(String transactionalId, String sink) {
		this.transactionalIds.putIfAbsent(transactionalId, sink);
	}

	/**
	 * Asks for the cluster and its topic names, without waiting.
	 * @param admin the admin client of this cluster
	 */
	void describe(Admin admin) {
		this.admin = admin;
		this.namesFuture = admin.listTopics().names();
		this.clusterFuture = admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true));
	}

	/**
	 * Waits for the cluster and its topic names.
	 * @param deadline the {@link System#nanoTime()} to give up at
	 * @throws TimeoutException if the brokers did not answer by then
	 */
	void awaitDescribed(long deadline) throws TimeoutException {
		DescribeClusterResult cluster = require(this.clusterFuture);
		this.names = Set.copyOf(await(require(this.namesFuture), deadline));
		Collection<Node> nodes = await(cluster.nodes(), deadline);
		this.node = nodes.isEmpty() ? null : nodes.iterator().next();
		this.clusterOperations = await(cluster.authorizedOperations(), deadline);
		this.answered = true;
		if (this.clusterOperations == null) {
			logger.debug("The brokers at {} report no authorized operations: authorization is not checked",
					this.servers);
		}
	}

	/**
	 * The topics of a source that exist, from the names the cluster listed.
	 * @param source the source
	 * @return the topics
	 */
	Set<String> topicsOf(KafkaSourceSpec source) {
		Map<String, List<PartitionInfo>> namesOnly = new LinkedHashMap<>();
		for (String name : this.names) {
			namesOnly.put(name, List.of(new PartitionInfo(name, 0, null, null, null)));
		}
		Set<String> topics = new LinkedHashSet<>();
		for (TopicPartition partition : source.subscription().partitionsIn(namesOnly)) {
			if (this.names.contains(partition.topic())) {
				topics.add(partition.topic());
			}
		}
		return topics;
	}

	/**
	 * Asks, without waiting, for what the checks need: the topics that exist, the groups,
	 * the transactional ids and the configuration of a broker.
	 */
	void check() {
		Admin admin = require(this.admin);
		Set<String> topics = new LinkedHashSet<>();
		this.reads.forEach((read) -> topics.addAll(topicsOf(read.source())));
		this.writes.keySet().stream().filter(this.names::contains).forEach(topics::add);
		if (!topics.isEmpty()) {
			this.topicFutures = admin
				.describeTopics(topics, new DescribeTopicsOptions().includeAuthorizedOperations(true))
				.topicNameValues();
		}
		// a principal that may do everything (no authorizer, a super user) may use its groups
		// and transactional ids: asking would only cost the start time, as describing a
		// transactional id first has the brokers set up their transaction coordinators
		if (!this.groups.isEmpty() && restricted()) {
			this.groupFutures = admin
				.describeConsumerGroups(this.groups, new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
				.describedGroups();
		}
		if (!this.transactionalIds.isEmpty() && restricted()) {
			DescribeTransactionsResult result = admin.describeTransactions(this.transactionalIds.keySet());
			Map<String, KafkaFuture<TransactionDescription>> futures = new LinkedHashMap<>();
			this.transactionalIds.keySet().forEach((id) -> futures.put(id, result.description(id)));
			this.transactionFutures = futures;
		}
		Node node = this.node;
		if (node != null && (!this.writes.isEmpty() || !this.exactlyOnceSinks.isEmpty())) {
			ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node.idString());
			this.configFuture = admin.describeConfigs(List.of(broker)).all();
		}
	}

	/**
	 * Waits for the answers and finds the problems.
	 * @param deadline the {@link System#nanoTime()} to give up at
	 * @return the problems found
	 * @throws TimeoutException if the brokers did not answer by then
	 */
	List<StartupProblem> awaitChecked(long deadline) throws TimeoutException {
		Config brokerConfig = brokerConfig(deadline);
		Map<String, TopicDescription> described = new LinkedHashMap<>();
		for (Map.Entry<String, KafkaFuture<TopicDescription>> entry : this.topicFutures.entrySet()) {
			TopicDescription description = awaitOrNull(entry.getValue(), deadline, "topic " + entry.getKey());
			if (description != null) {
				described.put(entry.getKey(), description);
			}
		}
		this.reads.forEach((read) -> checkRead(read, described));
		Boolean autoCreate = booleanValue(brokerConfig, AUTO_CREATE);
		this.writes.forEach((topic, writes) -> checkWrites(topic, writes, described, autoCreate));
		checkTransactionTimeouts(brokerConfig);
		checkGroups(deadline);
		checkTransactionalIds(deadline);
		return this.problems;
	}

	/**
	 * Whether the first round was asked for.
	 * @return whether {@link #describe(Admin)} was called
	 */
	boolean described() {
		return this.admin != null;
	}

	/**
	 * Whether the brokers answered the first round.
	 * @return whether they did
	 */
	boolean answered() {
		return this.answered;
	}

	String servers() {
		return this.servers;
	}

	private void checkRead(SourceRead read, Map<String, TopicDescription> described) {
		KafkaSourceSpec source = read.source();
		Map<String, List<PartitionInfo>> metadata = new LinkedHashMap<>();
		for (String name : this.names) {
			TopicDescription description = described.get(name);
			metadata.put(name, (description != null) ? partitions(description) : List.of());
		}
		boolean pattern = read.topicsProperty().endsWith(".topic-pattern");
		for (String missing : source.subscription().missingIn(metadata)) {
			this.problems.add(new StartupProblem(read.topicsProperty(),
					"Source '" + source.name() + "' reads " + missing + ", which does not exist" + orHidden(),
					pattern ? "Create a topic it matches, or fix the pattern." : "Create it, or fix the property."));
		}
		for (String topic : topicsOf(source)) {
			if (!allows(described.get(topic), AclOperation.READ)) {
				this.problems.add(new StartupProblem(read.topicsProperty(),
						"Source '" + source.name() + "' may not read topic '" + topic
								+ "': its principal has no READ permission on it",
						"Grant READ on topic '" + topic + "' to the principal the source connects as,"
								+ " or connect as one that has it."));
			}
		}
	}

	private void checkWrites(String topic, List<TopicWrite> writes, Map<String, TopicDescription> described,
			@Nullable Boolean autoCreate) {
		if (!this.names.contains(topic)) {
			if (Boolean.FALSE.equals(autoCreate)) {
				for (TopicWrite write : writes) {
					this.problems.add(new StartupProblem(write.property(),
							write.writer() + " writes " + write.what() + " to topic '" + topic
									+ "', which does not exist" + orHidden() + ", and the brokers do not create topics ("
									+ AUTO_CREATE + "=false)",
							"Create the topic, or " + write.alternative() + "."));
				}
			}
			else if (autoCreate == null) {
				logger.debug("Topic '{}' does not exist at {}; whether the brokers create it is not known", topic,
						this.servers);
			}
			return;
		}
		TopicDescription description = described.get(topic);
		if (!allows(description, AclOperation.WRITE)) {
			for (TopicWrite write : writes) {
				this.problems.add(new StartupProblem(write.property(),
						write.writer() + " may not write " + write.what() + " to topic '" + topic
								+ "': its principal has no WRITE permission on it",
						"Grant WRITE on topic '" + topic + "' to the principal it connects as,"
								+ " or connect as one that has it."));
			}
		}
	}

	private void checkTransactionTimeouts(@Nullable Config brokerConfig) {
		ConfigEntry entry = (brokerConfig != null) ? brokerConfig.get(TRANSACTION_MAX_TIMEOUT) : null;
		if (entry == null || entry.value() == null) {
			return;
		}
		Duration brokerMax = Duration.ofMillis(Long.parseLong(entry.value()));
		for (KafkaSinkSpec sink : this.exactlyOnceSinks.values()) {
			Duration timeout = sink.transactionTimeout();
			if (timeout != null && timeout.compareTo(brokerMax) > 0) {
				this.problems.add(new StartupProblem("kafka-stream.sinks." + sink.name() + ".transaction-timeout",
						"The transaction timeout of sink '" + sink.name() + "' is " + timeout + ", above the broker's "
								+ TRANSACTION_MAX_TIMEOUT + " of " + brokerMax + ": its producers cannot start",
						"Lower it to at most " + brokerMax + ", or raise the broker's " + TRANSACTION_MAX_TIMEOUT
								+ "."));
			}
		}
	}

	private void checkGroups(long deadline) throws TimeoutException {
		for (Map.Entry<String, KafkaFuture<ConsumerGroupDescription>> entry : this.groupFutures.entrySet()) {
			String group = entry.getKey();
			ConsumerGroupDescription description;
			try {
				description = await(entry.getValue(), deadline);
			}
			catch (GroupAuthorizationException ex) {
				description = null;
			}
			catch (RuntimeException ex) {
				// a group not created yet, an older broker: not checked
				logger.debug("Could not check the permissions on group '{}' at {}: {}", group, this.servers,
						ex.toString());
				continue;
			}
			Set<AclOperation> operations = (description != null) ? description.authorizedOperations() : Set.of();
			if (operations != null && !allows(operations, AclOperation.READ)) {
				for (SourceRead read : this.reads) {
					if (read.source().groupId().equals(group)) {
						String source = read.source().name();
						this.problems.add(new StartupProblem("kafka-stream.sources." + source + ".group-id",
								"Source '" + source + "' may not use consumer group '" + group
										+ "': its principal has no READ permission on it",
								"Grant READ on group '" + group + "' to the principal the source connects as,"
										+ " or connect as one that has it."));
					}
				}
			}
		}
	}

	private void checkTransactionalIds(long deadline) throws TimeoutException {
		for (Map.Entry<String, KafkaFuture<TransactionDescription>> entry : this.transactionFutures.entrySet()) {
			String transactionalId = entry.getKey();
			try {
				await(entry.getValue(), deadline);
			}
			catch (TransactionalIdAuthorizationException ex) {
				String sink = this.transactionalIds.get(transactionalId);
				this.problems.add(new StartupProblem("kafka-stream.sinks." + sink + ".transactional-id-prefix",
						"Sink '" + sink + "' may not use transactional id '" + transactionalId
								+ "': its principal has no WRITE permission on it",
						"Grant WRITE on transactional id '" + transactionalId + "' (or on a prefix of it)"
								+ " to the principal the sink connects as, or connect as one that has it."));
			}
			catch (RuntimeException ex) {
				// not used yet (TransactionalIdNotFoundException): the principal may describe it
				logger.debug("Transactional id '{}' at {}: {}", transactionalId, this.servers, ex.toString());
			}
		}
	}

	private @Nullable Config brokerConfig(long deadline) throws TimeoutException {
		KafkaFuture<Map<ConfigResource, Config>> future = this.configFuture;
		if (future == null) {
			return null;
		}
		Map<ConfigResource, Config> configs = awaitOrNull(future, deadline, "the broker configuration");
		return (configs != null && !configs.isEmpty()) ? configs.values().iterator().next() : null;
	}

	private static @Nullable Boolean booleanValue(@Nullable Config config, String name) {
		ConfigEntry entry = (config != null) ? config.get(name) : null;
		return (entry != null && entry.value() != null) ? Boolean.valueOf(entry.value()) : null;
	}

	/**
	 * Whether the principal may perform an operation on a topic, as far as the brokers
	 * tell.
	 */
	private boolean allows(@Nullable TopicDescription description, AclOperation operation) {
		if (description == null || this.clusterOperations == null) {
			return true;
		}
		Set<AclOperation> operations = description.authorizedOperations();
		return operations == null || allows(operations, operation);
	}

	private static boolean allows(Set<AclOperation> operations, AclOperation operation) {
		return operations.contains(operation) || operations.contains(AclOperation.ALL);
	}

	/**
	 * The words added to "does not exist" where the brokers restrict the principal, which
	 * then sees only the topics it may describe.
	 */
	private String orHidden() {
		return restricted() ? " (or its principal may not describe it)" : "";
	}

	/**
	 * Whether the brokers restrict the principal: they report its authorized operations,
	 * and those lack one only the brokers themselves and super users have.
	 */
	private boolean restricted() {
		Set<AclOperation> operations = this.clusterOperations;
		return operations != null && !operations.contains(AclOperation.CLUSTER_ACTION);
	}

	private static List<PartitionInfo> partitions(TopicDescription description) {
		return description.partitions()
			.stream()
			.map((partition) -> new PartitionInfo(description.name(), partition.partition(), null, null, null))
			.toList();
	}

	private <T> @Nullable T awaitOrNull(KafkaFuture<T> future, long deadline, String what) throws TimeoutException {
		try {
			return await(future, deadline);
		}
		catch (UnknownTopicOrPartitionException ex) {
			// deleted since it was listed
			return null;
		}
		catch (RuntimeException ex) {
			logger.debug("Could not describe {} at {}: {}", what, this.servers, ex.toString());
			return null;
		}
	}

	/**
	 * Waits for a future until the deadline.
	 * @throws TimeoutException if it did not complete by then
	 * @throws RuntimeException the Kafka exception it failed with
	 */
	private static <T> T await(KafkaFuture<T> future, long deadline) throws TimeoutException {
		try {
			return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TimeoutException("interrupted");
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof org.apache.kafka.common.errors.TimeoutException timeout) {
				throw (TimeoutException) new TimeoutException(timeout.getMessage()).initCause(timeout);
			}
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	private static <T> T require(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("describe(Admin) was not called");
		}
		return value;
	}

	/**
	 * A source read on this cluster.
	 *
	 * @param source the source
	 * @param topicsProperty the property that names its topics
	 */
	record SourceRead(KafkaSourceSpec source, String topicsProperty) {

	}

	/**
	 * A topic written on this cluster.
	 *
	 * @param topic the topic
	 * @param property the property that names it
	 * @param writer who writes, such as {@code Sink 'out'}
	 * @param what what it writes, such as {@code records} or {@code dead letters}
	 * @param alternative the other fix, such as {@code fix the property}
	 */
	record TopicWrite(String topic, String property, String writer, String what, String alternative) {

	}

}
