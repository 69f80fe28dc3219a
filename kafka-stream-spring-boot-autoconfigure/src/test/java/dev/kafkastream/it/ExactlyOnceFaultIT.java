package dev.kafkastream.it;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kafkastream.autoconfigure.KafkaStreamConfigurationException;
import dev.kafkastream.autoconfigure.KafkaStreamLifecycle;
import dev.kafkastream.runtime.KafkaClients;
import dev.kafkastream.runtime.Pipeline;
import dev.kafkastream.runtime.PipelineState;
import dev.kafkastream.test.ExactlyOnceVerifier;
import dev.kafkastream.test.KafkaBrokerProcess;
import dev.kafkastream.test.KafkaTestBroker;
import dev.kafkastream.test.TestRecords;
import dev.kafkastream.test.TopicContent;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Ways exactly-once goes wrong in practice, each ending with the read_committed verifier:
 * a producer fenced by another with the same transactional id, commits that fail on a third
 * of the checkpoints, a transaction the broker times out mid-interval; and a transaction
 * timeout the broker would refuse.
 */
class ExactlyOnceFaultIT {

	private static final int RECORDS = 20_000;

	private static final int KEYS = 500;

	@Test
	void transactionTimeoutAboveTheBrokerMaximumFailsAtStart() {
		String topic = KafkaTestBroker.uniqueTopicName("too-long");
		KafkaTestBroker.embedded().createTopic(topic, 1);
		KafkaTestBroker.embedded().createTopic(topic + "-out", 1);
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> PipelineArguments
				.inToOut(KafkaTestBroker.embedded().bootstrapServers(), topic, topic + "-out", "exactly-once", "max")
				.with("--kafka-stream.sinks.out.transaction-timeout=20m")
				.run(PassThroughApplication.class)
				.close())
			.satisfies((failure) -> {
				KafkaStreamConfigurationException cause = cause(failure, KafkaStreamConfigurationException.class);
				assertThat(cause.property()).isEqualTo("kafka-stream.sinks.out.transaction-timeout");
				assertThat(cause.getMessage()).contains("above the broker's transaction.max.timeout.ms of PT15M");
			});
	}

	@Test
	void producerFencedByAnotherWithTheSameTransactionalIdRecoversExactlyOnce() {
		String bootstrap = KafkaTestBroker.embedded().bootstrapServers();
		String input = topic("fenced-in");
		String output = topic("fenced-out");
		List<TestRecords.Input> inputs = TestRecords.produce(bootstrap, input, RECORDS, KEYS);
		try (ConfigurableApplicationContext context = PipelineArguments
			.inToOut(bootstrap, input, output, "exactly-once", "fence")
			.with("--test.handler.records-per-second=8000")
			.run(PassThroughApplication.class)) {
			await().atMost(Duration.ofSeconds(60)).until(() -> committed(input) >= 2_000);
			// the worker's transactional id: <prefix>-<instance-id>-<source>-<worker>
			try (KafkaProducer<String, String> intruder = new KafkaProducer<>(Map.of(
					ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
					output + "-fence-in-0", ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
					ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
				intruder.initTransactions();
			}
			ExactlyOnceVerifier.of(bootstrap, output, inputs).awaitExactlyOnce(Duration.ofMinutes(2));
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline(context).state() == PipelineState.RUNNING);
		}
	}

	@Test
	void commitsFailingOnAThirdOfTheCheckpointsLoseAndDuplicateNothing() {
		String bootstrap = KafkaTestBroker.embedded().bootstrapServers();
		String input = topic("aborts-in");
		String output = topic("aborts-out");
		List<TestRecords.Input> inputs = TestRecords.produce(bootstrap, input, RECORDS, KEYS);
		List<String> arguments = PipelineArguments.inToOut(bootstrap, input, output, "exactly-once", "aborts")
			.with("--test.handler.records-per-second=4000", "--kafka-stream.sources.in.concurrency=2",
					"--kafka-stream.recovery.initial-backoff=50ms", "--kafka-stream.recovery.max-attempts=100")
			.toList();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PassThroughApplication.class,
				FailingCommits.class)
			.web(WebApplicationType.NONE)
			.run(arguments.toArray(String[]::new))) {
			ExactlyOnceVerifier.of(bootstrap, output, inputs).awaitExactlyOnce(Duration.ofMinutes(3));
			FailingCommits failing = context.getBean(FailingCommits.class);
			assertThat(failing.failed.get()).isGreaterThanOrEqualTo(3);
			assertThat(failing.failed.get()).isGreaterThanOrEqualTo(failing.attempts.get() / 3 - 1);
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline(context).state() == PipelineState.RUNNING);
		}
	}

	@Test
	void transactionTimedOutByTheBrokerMidIntervalIsRolledBackExactlyOnce() {
		try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder()
			.brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500")
			.build()) {
			kafka.start();
			String bootstrap = kafka.bootstrapServers();
			kafka.createTopic("in", 3);
			kafka.createTopic("out", 3);
			List<TestRecords.Input> inputs = TestRecords.produce(bootstrap, "in", 5_000, KEYS);
			try (ConfigurableApplicationContext context = PipelineArguments
				.inToOut(bootstrap, "in", "out", "exactly-once", "timeout")
				.with("--kafka-stream.sinks.out.transaction-timeout=3s", "--kafka-stream.checkpoint.timeout=1s",
						"--test.handler.stall-at-id=2500", "--test.handler.stall=6s")
				.run(PassThroughApplication.class)) {
				ExactlyOnceVerifier.of(bootstrap, "out", inputs).awaitExactlyOnce(Duration.ofMinutes(2));
				assertThat(context.getBean(PassThroughApplication.PassThroughHandler.class).stalled()).isTrue();
				await().atMost(Duration.ofSeconds(30)).until(() -> pipeline(context).state() == PipelineState.RUNNING);
				assertThat(pipeline(context).workers().get(0).consecutiveFailures()).isZero();
			}
		}
	}

	@Test
	void commitsReportedAsTimedOutAfterTheyCommittedAreNotCommittedTwice() {
		String bootstrap = KafkaTestBroker.embedded().bootstrapServers();
		String input = topic("unknown-in");
		String output = topic("unknown-out");
		List<TestRecords.Input> inputs = TestRecords.produce(bootstrap, input, RECORDS, KEYS);
		List<String> arguments = PipelineArguments.inToOut(bootstrap, input, output, "exactly-once", "unknown")
			.with("--test.handler.records-per-second=4000", "--kafka-stream.recovery.initial-backoff=50ms",
					"--kafka-stream.recovery.max-attempts=100")
			.toList();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PassThroughApplication.class,
				CommitsWithUnknownOutcome.class)
			.web(WebApplicationType.NONE)
			.run(arguments.toArray(String[]::new))) {
			ExactlyOnceVerifier.of(bootstrap, output, inputs).awaitExactlyOnce(Duration.ofMinutes(3));
			assertThat(context.getBean(CommitsWithUnknownOutcome.class).reported.get()).isGreaterThanOrEqualTo(2);
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline(context).state() == PipelineState.RUNNING);
		}
	}

	@Test
	void transactionalIdExpiredWhileIdleIsReplacedAndTheOutputStaysExactlyOnce() throws Exception {
		try (KafkaBrokerProcess kafka = KafkaBrokerProcess.builder()
			.brokerProperty("transactional.id.expiration.ms", "2000")
			.brokerProperty("transaction.remove.expired.transaction.cleanup.interval.ms", "500")
			.build()) {
			kafka.start();
			String bootstrap = kafka.bootstrapServers();
			kafka.createTopic("in", 1);
			kafka.createTopic("out", 1);
			List<TestRecords.Input> inputs = new ArrayList<>(TestRecords.produce(bootstrap, "in", 0, 1_000, KEYS));
			try (ConfigurableApplicationContext context = PipelineArguments
				.inToOut(bootstrap, "in", "out", "exactly-once", "expiry")
				.run(PassThroughApplication.class)) {
				ExactlyOnceVerifier.of(bootstrap, "out", inputs).awaitExactlyOnce(Duration.ofMinutes(1));
				// idle: no transaction until the broker forgot the transactional id
				await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
					try {
						kafka.admin().describeTransactions(List.of("out-expiry-in-0")).all().get();
						return false;
					}
					catch (ExecutionException ex) {
						return ex.getCause() instanceof TransactionalIdNotFoundException;
					}
				});
				inputs.addAll(TestRecords.produce(bootstrap, "in", 1_000, 1_000, KEYS));
				ExactlyOnceVerifier.of(bootstrap, "out", inputs).awaitExactlyOnce(Duration.ofMinutes(1));
				await().atMost(Duration.ofSeconds(30)).until(() -> pipeline(context).state() == PipelineState.RUNNING);
			}
		}
	}

	private static String topic(String name) {
		String topic = KafkaTestBroker.uniqueTopicName(name);
		KafkaTestBroker.embedded().createTopic(topic, 3);
		return topic;
	}

	private static long committed(String group) throws Exception {
		return TopicContent.committedTotal(KafkaTestBroker.embedded().admin(), group);
	}

	private static Pipeline pipeline(ConfigurableApplicationContext context) {
		return context.getBean(KafkaStreamLifecycle.class).getRuntime().pipeline("in").orElseThrow();
	}

	private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in " + failure, failure);
	}

	/**
	 * Real clients whose producers report every third commit as timed out after it
	 * committed: the worker cannot know the outcome and must not commit the same records
	 * again.
	 */
	@Configuration(proxyBeanMethods = false)
	static class CommitsWithUnknownOutcome {

		final AtomicInteger attempts = new AtomicInteger();

		final AtomicInteger reported = new AtomicInteger();

		@Bean
		KafkaClients unknownOutcomeClients() {
			return producerInterceptingClients((producer, method, args) -> {
				Object result = invoke(producer, method, args);
				if (method.getName().equals("commitTransaction") && this.attempts.incrementAndGet() % 3 == 0) {
					this.reported.incrementAndGet();
					throw new TimeoutException(
							"Timeout expired after 60000ms while awaiting EndTxn(true)");
				}
				return result;
			});
		}

	}

	interface ProducerInterceptor {

		Object intercept(Producer<byte[], byte[]> producer, Method method, Object[] args)
				throws Throwable;

	}

	static KafkaClients producerInterceptingClients(ProducerInterceptor interceptor) {
		KafkaClients standard = KafkaClients.standard();
		return new KafkaClients() {

			@Override
			public Consumer<byte[], byte[]> createConsumer(Map<String, Object> config) {
				return standard.createConsumer(config);
			}

			@Override
			@SuppressWarnings("unchecked")
			public Producer<byte[], byte[]> createProducer(Map<String, Object> config) {
				Producer<byte[], byte[]> producer = standard.createProducer(new HashMap<>(config));
				return (Producer<byte[], byte[]>) Proxy.newProxyInstance(ExactlyOnceFaultIT.class.getClassLoader(),
						new Class<?>[] { Producer.class },
						(proxy, method, args) -> interceptor.intercept(producer, method, args));
			}

		};
	}

	static Object invoke(Producer<byte[], byte[]> producer, Method method, Object[] args)
			throws Throwable {
		try {
			return method.invoke(producer, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	/**
	 * Real clients whose producers fail every third commit: the commit is not sent, the
	 * worker sees an exception and must abort and roll back.
	 */
	@Configuration(proxyBeanMethods = false)
	static class FailingCommits {

		final AtomicInteger attempts = new AtomicInteger();

		final AtomicInteger failed = new AtomicInteger();

		@Bean
		KafkaClients failingCommitClients() {
			return producerInterceptingClients((producer, method, args) -> {
				if (method.getName().equals("commitTransaction") && this.attempts.incrementAndGet() % 3 == 0) {
					this.failed.incrementAndGet();
					throw new KafkaException("forced commit failure");
				}
				return invoke(producer, method, args);
			});
		}

	}

}
