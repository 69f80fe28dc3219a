package dev.kafkastream.it.scaling;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kafkastream.runtime.KafkaClients;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real Kafka clients, watched: the consumers keep track of the partitions their group
 * assigned them and count the revocations their rebalance listener sees, telling those
 * that reach a worker in the middle of a batch (a poll made while the worker paused its
 * partitions to stay in the group) from those of its regular poll; the producers can be given an {@link Interceptor} that sees every call together
 * with the rebalance in progress on the calling thread, to inject a fault there. The broker
 * is always real.
 */
final class ObservedClients implements KafkaClients {

	private static final Logger logger = LoggerFactory.getLogger(ObservedClients.class);

	private final KafkaClients clients = KafkaClients.standard();

	private final ThreadLocal<Poll> poll = ThreadLocal.withInitial(() -> Poll.NONE);

	private final ThreadLocal<@Nullable Collection<TopicPartition>> revoking = new ThreadLocal<>();

	private final AtomicInteger midBatchRevocations = new AtomicInteger();

	private final AtomicInteger pollRevocations = new AtomicInteger();

	private final AtomicInteger losses = new AtomicInteger();

	private final Map<String, Set<TopicPartition>> assignments = new ConcurrentHashMap<>();

	private volatile @Nullable Interceptor interceptor;

	/**
	 * Sets what sees the producers' calls.
	 * @param interceptor the interceptor
	 */
	void interceptProducers(Interceptor interceptor) {
		this.interceptor = interceptor;
	}

	/**
	 * The partitions being revoked on the calling thread, while its rebalance listener runs.
	 * @return the partitions, or {@code null} outside a revocation
	 */
	@Nullable Collection<TopicPartition> revoking() {
		return this.revoking.get();
	}

	/**
	 * Whether the calling thread is inside a poll made in the middle of a batch.
	 * @return whether the poll is a mid-batch one
	 */
	boolean inMidBatchPoll() {
		return this.poll.get() == Poll.MID_BATCH;
	}

	/**
	 * Revocations seen during polls made in the middle of a batch.
	 * @return the count
	 */
	int midBatchRevocations() {
		return this.midBatchRevocations.get();
	}

	/**
	 * Revocations seen during the regular polls between batches.
	 * @return the count
	 */
	int pollRevocations() {
		return this.pollRevocations.get();
	}

	/**
	 * Partitions lost (not revoked gracefully), which a graceful scaling never causes.
	 * @return the number of {@code onPartitionsLost} calls with partitions
	 */
	int losses() {
		return this.losses.get();
	}

	/**
	 * The partitions a group assigned to the consumer of this instance, as its rebalance
	 * listener was told.
	 * @param groupId the group
	 * @return the partitions, empty before the first assignment
	 */
	Set<TopicPartition> assignment(String groupId) {
		return Set.copyOf(this.assignments.getOrDefault(groupId, Set.of()));
	}

	@Override
	@SuppressWarnings("unchecked")
	public Consumer<byte[], byte[]> createConsumer(Map<String, Object> config) {
		Consumer<byte[], byte[]> consumer = this.clients.createConsumer(config);
		Set<TopicPartition> assignment = this.assignments.computeIfAbsent(
				String.valueOf(config.get(ConsumerConfig.GROUP_ID_CONFIG)), (group) -> ConcurrentHashMap.newKeySet());
		return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { Consumer.class }, (proxy, method, args) -> {
					if (method.getName().equals("subscribe") && args != null) {
						for (int i = 0; i < args.length; i++) {
							if (args[i] instanceof ConsumerRebalanceListener listener) {
								args[i] = new WatchingListener(listener, assignment);
							}
						}
					}
					if (method.getName().equals("poll")) {
						// a worker in the middle of a batch pauses its partitions to poll for its membership only
						this.poll.set(consumer.paused().isEmpty() ? Poll.REGULAR : Poll.MID_BATCH);
						try {
							return invoke(consumer, method, args);
						}
						finally {
							this.poll.set(Poll.NONE);
						}
					}
					return invoke(consumer, method, args);
				});
	}

	@Override
	@SuppressWarnings("unchecked")
	public Producer<byte[], byte[]> createProducer(Map<String, Object> config) {
		Producer<byte[], byte[]> producer = this.clients.createProducer(new HashMap<>(config));
		return (Producer<byte[], byte[]>) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { Producer.class }, (proxy, method, args) -> {
					Interceptor current = this.interceptor;
					if (current != null) {
						current.beforeCall(method, (args != null) ? List.of(args) : List.of());
					}
					return invoke(producer, method, args);
				});
	}

	private static Object invoke(Object target, Method method, Object @Nullable [] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	/**
	 * Sees a producer call before it reaches the real producer, and may throw instead.
	 */
	@FunctionalInterface
	interface Interceptor {

		void beforeCall(Method method, List<Object> args);

	}

	/**
	 * The poll a consumer call is part of.
	 */
	private enum Poll {

		/** Not polling: the call is made by {@code close} or another method. */
		NONE,

		/** The worker's regular poll between batches. */
		REGULAR,

		/** A poll with every partition paused, in the middle of a batch. */
		MID_BATCH

	}

	/**
	 * The worker's rebalance listener, watched.
	 */
	private final class WatchingListener implements ConsumerRebalanceListener {

		private final ConsumerRebalanceListener listener;

		private final Set<TopicPartition> assignment;

		WatchingListener(ConsumerRebalanceListener listener, Set<TopicPartition> assignment) {
			this.listener = listener;
			this.assignment = assignment;
		}

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			this.assignment.removeAll(partitions);
			if (partitions.isEmpty()) {
				this.listener.onPartitionsRevoked(partitions);
				return;
			}
			Poll poll = ObservedClients.this.poll.get();
			logger.info("{} revoked {} in a {} poll", Thread.currentThread().getName(), partitions, poll);
			switch (poll) {
				case MID_BATCH -> ObservedClients.this.midBatchRevocations.incrementAndGet();
				case REGULAR -> ObservedClients.this.pollRevocations.incrementAndGet();
				case NONE -> {
					// revoked on close
				}
			}
			ObservedClients.this.revoking.set(Set.copyOf(partitions));
			try {
				this.listener.onPartitionsRevoked(partitions);
			}
			finally {
				ObservedClients.this.revoking.remove();
			}
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			this.assignment.addAll(partitions);
			this.listener.onPartitionsAssigned(partitions);
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			this.assignment.removeAll(partitions);
			if (!partitions.isEmpty()) {
				ObservedClients.this.losses.incrementAndGet();
			}
			this.listener.onPartitionsLost(partitions);
		}

	}

}
