package dev.kafkastream.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

import static org.awaitility.Awaitility.await;

/**
 * Topic helpers shared by the {@link KafkaTestBroker} implementations.
 */
final class TopicSupport {

	private static final AtomicLong COUNTER = new AtomicLong();

	private TopicSupport() {
	}

	static long nextTopicNumber() {
		return COUNTER.incrementAndGet();
	}

	static void create(Admin admin, String name, int partitions, Map<String, String> configs) {
		NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
		try {
			admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw new IllegalStateException("Cannot create topic " + name, ex.getCause());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Timed out creating topic " + name, ex);
		}
		await("leaders of topic " + name).atMost(Duration.ofSeconds(30))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> {
				TopicDescription description = admin.describeTopics(List.of(name))
					.allTopicNames()
					.get(5, TimeUnit.SECONDS)
					.get(name);
				return description.partitions().size() == partitions
						&& description.partitions().stream().map(TopicPartitionInfo::leader)
							.allMatch(leader -> leader != null && !leader.isEmpty());
			});
	}

}
