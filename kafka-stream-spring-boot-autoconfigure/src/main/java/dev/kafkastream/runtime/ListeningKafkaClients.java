package dev.kafkastream.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KafkaClients} that tell a {@link KafkaClientListener} of each consumer and
 * producer they create and of its close. The producer is wrapped in a plain delegate, as
 * {@code send} is called for every record; the consumer, called once per batch, in a
 * dynamic proxy that sees its {@code close} methods.
 */
final class ListeningKafkaClients implements KafkaClients {

	private static final Logger logger = LoggerFactory.getLogger(ListeningKafkaClients.class);

	private final KafkaClients clients;

	private final KafkaClientListener listener;

	ListeningKafkaClients(KafkaClients clients, KafkaClientListener listener) {
		this.clients = clients;
		this.listener = listener;
	}

	@Override
	@SuppressWarnings("unchecked")
	public Consumer<byte[], byte[]> createConsumer(Map<String, Object> config) {
		Consumer<byte[], byte[]> consumer = this.clients.createConsumer(config);
		String clientId = clientId(config);
		notify(() -> this.listener.consumerAdded(clientId, consumer));
		AtomicBoolean removed = new AtomicBoolean();
		return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
				new Class<?>[] { Consumer.class }, (proxy, method, args) -> {
					boolean close = method.getName().equals("close");
					try {
						return method.invoke(consumer, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getTargetException();
					}
					finally {
						if (close && removed.compareAndSet(false, true)) {
							notify(() -> this.listener.consumerRemoved(clientId, consumer));
						}
					}
				});
	}

	@Override
	public Producer<byte[], byte[]> createProducer(Map<String, Object> config) {
		Producer<byte[], byte[]> producer = this.clients.createProducer(config);
		String clientId = clientId(config);
		notify(() -> this.listener.producerAdded(clientId, producer));
		return new ListenedProducer(producer, () -> this.listener.producerRemoved(clientId, producer));
	}

	@Override
	public Admin createAdmin(Map<String, Object> config) {
		return this.clients.createAdmin(config);
	}

	private static String clientId(Map<String, Object> config) {
		Object clientId = config.get(ProducerConfig.CLIENT_ID_CONFIG);
		return (clientId != null) ? clientId.toString() : "";
	}

	private static void notify(Runnable callback) {
		try {
			callback.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Kafka client listener failed", ex);
		}
	}

	/**
	 * A producer that tells of its first close.
	 */
	private static final class ListenedProducer implements Producer<byte[], byte[]> {

		private final Producer<byte[], byte[]> producer;

		private final Runnable removed;

		private final AtomicBoolean closed = new AtomicBoolean();

		ListenedProducer(Producer<byte[], byte[]> producer, Runnable removed) {
			this.producer = producer;
			this.removed = removed;
		}

		@Override
		public void initTransactions() {
			this.producer.initTransactions();
		}

		@Override
		public void beginTransaction() {
			this.producer.beginTransaction();
		}

		@Override
		public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
				ConsumerGroupMetadata groupMetadata) {
			this.producer.sendOffsetsToTransaction(offsets, groupMetadata);
		}

		@Override
		public void commitTransaction() {
			this.producer.commitTransaction();
		}

		@Override
		public void abortTransaction() {
			this.producer.abortTransaction();
		}

		@Override
		public void registerMetricForSubscription(KafkaMetric metric) {
			this.producer.registerMetricForSubscription(metric);
		}

		@Override
		public void unregisterMetricFromSubscription(KafkaMetric metric) {
			this.producer.unregisterMetricFromSubscription(metric);
		}

		@Override
		public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
			return this.producer.send(record);
		}

		@Override
		public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, @Nullable Callback callback) {
			return this.producer.send(record, callback);
		}

		@Override
		public void flush() {
			this.producer.flush();
		}

		@Override
		public List<PartitionInfo> partitionsFor(String topic) {
			return this.producer.partitionsFor(topic);
		}

		@Override
		public Map<MetricName, ? extends Metric> metrics() {
			return this.producer.metrics();
		}

		@Override
		public Uuid clientInstanceId(Duration timeout) {
			return this.producer.clientInstanceId(timeout);
		}

		@Override
		public void close() {
			try {
				this.producer.close();
			}
			finally {
				closed();
			}
		}

		@Override
		public void close(Duration timeout) {
			try {
				this.producer.close(timeout);
			}
			finally {
				closed();
			}
		}

		private void closed() {
			if (this.closed.compareAndSet(false, true)) {
				ListeningKafkaClients.notify(this.removed);
			}
		}

	}

}
