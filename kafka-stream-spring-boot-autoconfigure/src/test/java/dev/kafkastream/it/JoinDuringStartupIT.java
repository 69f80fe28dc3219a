package dev.kafkastream.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.kafkastream.autoconfigure.KafkaStreamAutoConfiguration;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The workers join their group while the rest of the application context is created (as
 * Actuator's and every other auto-configuration defined after the starter's are), and
 * process and commit nothing until the context is ready.
 */
class JoinDuringStartupIT {

	private static final int PARTITIONS = 3;

	@Test
	void workersJoinWhileTheContextIsCreatedAndProcessNothingBeforeItIsReady() {
		String bootstrap = KafkaTestBroker.embedded().bootstrapServers();
		String input = KafkaTestBroker.uniqueTopicName("early-in");
		String output = KafkaTestBroker.uniqueTopicName("early-out");
		KafkaTestBroker.embedded().createTopic(input, PARTITIONS);
		KafkaTestBroker.embedded().createTopic(output, PARTITIONS);
		List<TestRecords.Input> inputs = TestRecords.produce(bootstrap, input, 600, 100);
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(bootstrap, input, output, "exactly-once", "early")
			.with("--test.output=" + output)
			.run(EarlyJoinApplication.class)) {
			GroupSeenDuringStartup seen = context.getBean(GroupSeenDuringStartup.class);
			assertThat(seen.assigned).as("partitions assigned while the context was created").hasSize(PARTITIONS);
			assertThat(seen.committed).as("offsets committed before the context was ready").isEmpty();
			assertThat(seen.outputEnd).as("records written before the context was ready").isZero();
			ExactlyOnceVerifier.of(bootstrap, output, inputs).awaitExactlyOnce(Duration.ofSeconds(40));
		}
	}

	/** {@link PassThroughApplication}'s pipeline, with the probe defined after the starter. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ImportAutoConfiguration(GroupProbeAutoConfiguration.class)
	static class EarlyJoinApplication extends PassThroughApplication {

	}

	@AutoConfiguration(after = KafkaStreamAutoConfiguration.class)
	static class GroupProbeAutoConfiguration {

		@Bean
		GroupSeenDuringStartup groupSeenDuringStartup(@Value("${kafka-stream.bootstrap-servers}") String bootstrap,
				@Value("${kafka-stream.sources.in.group-id}") String group, @Value("${test.output}") String output)
				throws Exception {
			return new GroupSeenDuringStartup(bootstrap, group, output);
		}

	}

	/**
	 * Waits, while the context is being created, for the group to have assigned every
	 * partition, and then looks at its committed offsets and at the output.
	 */
	static final class GroupSeenDuringStartup {

		final Set<TopicPartition> assigned;

		final Map<TopicPartition, ?> committed;

		final long outputEnd;

		GroupSeenDuringStartup(String bootstrap, String group, String output) throws Exception {
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
				this.assigned = await("partitions assigned while the context is created")
					.atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(50))
					.until(() -> assignedPartitions(admin, group), (partitions) -> partitions.size() == PARTITIONS);
				this.committed = admin.listConsumerGroupOffsets(group)
					.partitionsToOffsetAndMetadata()
					.get(10, TimeUnit.SECONDS);
				Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, PARTITIONS)
					.boxed()
					.collect(Collectors.toMap((partition) -> new TopicPartition(output, partition),
							(partition) -> OffsetSpec.latest()));
				this.outputEnd = admin.listOffsets(latest)
					.all()
					.get(10, TimeUnit.SECONDS)
					.values()
					.stream()
					.mapToLong(ListOffsetsResultInfo::offset)
					.sum();
			}
		}

		private static Set<TopicPartition> assignedPartitions(Admin admin, String group) throws Exception {
			ConsumerGroupDescription description;
			try {
				description = admin.describeConsumerGroups(List.of(group))
					.describedGroups()
					.get(group)
					.get(10, TimeUnit.SECONDS);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof GroupIdNotFoundException) {
					return Set.of();
				}
				throw ex;
			}
			return description.members()
				.stream()
				.flatMap((member) -> member.assignment().topicPartitions().stream())
				.collect(Collectors.toSet());
		}

	}

}
