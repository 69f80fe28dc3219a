package dev.kafkastream.actuate;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.kafkastream.runtime.KafkaClientListener;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.jspecify.annotations.Nullable;

/**
 * Follows the producers the runtime creates to tell their send time as Flink's
 * {@code currentSendTime} does: the producer's own {@code request-latency-avg}, the
 * average time a produce request took over its metrics window. Reading it never waits on
 * the broker.
 */
public class ProducerSendTimes implements KafkaClientListener {

	private static final String GROUP = "producer-metrics";

	private static final String REQUEST_LATENCY_AVG = "request-latency-avg";

	private final Map<String, LiveProducer> producers = new ConcurrentHashMap<>();

	@Override
	public void producerAdded(String clientId, Producer<?, ?> producer) {
		this.producers.put(clientId, new LiveProducer(producer));
	}

	@Override
	public void producerRemoved(String clientId, Producer<?, ?> producer) {
		this.producers.computeIfPresent(clientId, (id, live) -> (live.producer == producer) ? null : live);
	}

	/**
	 * The average send time of the live producers with the given client ids.
	 * @param clientIds the client ids
	 * @return the time in milliseconds, {@code NaN} when none of them sent a request yet
	 */
	double sendTimeMillis(Collection<String> clientIds) {
		double sum = 0;
		int count = 0;
		for (String clientId : clientIds) {
			LiveProducer producer = this.producers.get(clientId);
			double latency = (producer != null) ? producer.requestLatencyAvg() : Double.NaN;
			if (!Double.isNaN(latency)) {
				sum += latency;
				count++;
			}
		}
		return (count > 0) ? sum / count : Double.NaN;
	}

	/**
	 * A producer and, once found, its request latency metric.
	 */
	private static final class LiveProducer {

		private final Producer<?, ?> producer;

		private volatile @Nullable Metric requestLatencyAvg;

		LiveProducer(Producer<?, ?> producer) {
			this.producer = producer;
		}

		double requestLatencyAvg() {
			Metric metric = this.requestLatencyAvg;
			if (metric == null) {
				for (Map.Entry<MetricName, ? extends Metric> entry : this.producer.metrics().entrySet()) {
					if (entry.getKey().group().equals(GROUP) && entry.getKey().name().equals(REQUEST_LATENCY_AVG)) {
						metric = entry.getValue();
						this.requestLatencyAvg = metric;
						break;
					}
				}
			}
			Object value = (metric != null) ? metric.metricValue() : null;
			return (value instanceof Number number) ? number.doubleValue() : Double.NaN;
		}

	}

}
