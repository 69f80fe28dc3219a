package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkerProducer}'s prepared first producer.
 */
class WorkerProducerTests {

	private final List<MockProducer<byte[], byte[]>> created = new CopyOnWriteArrayList<>();

	private final List<String> creatingThreads = new CopyOnWriteArrayList<>();

	private WorkerProducer workerProducer(KafkaClients clients) {
		return new WorkerProducer(clients, Map.of(), true, "worker", "sink 'out' producer 0");
	}

	private KafkaClients clients() {
		return ProducerOnlyClients.of(() -> {
			this.creatingThreads.add(Thread.currentThread().getName());
			MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
					new ByteArraySerializer());
			this.created.add(producer);
			return producer;
		});
	}

	@Test
	void preparedProducerIsCreatedAndInitialisedOnAThreadOfItsOwnAndUsedFirst() {
		WorkerProducer producer = workerProducer(clients());
		producer.prepare();
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.created.isEmpty());
		Producer<byte[], byte[]> first = producer.get();
		assertThat(this.created).singleElement().isSameAs(first);
		assertThat(this.created.get(0).transactionInitialized()).isTrue();
		assertThat(this.creatingThreads).containsExactly("worker-producer-start");
		assertThat(producer.get()).isSameAs(first);
	}

	@Test
	void failureOfThePreparedProducerIsThrownByFirstUseAndTheNextUseCreatesAnother() {
		KafkaException refused = new KafkaException("broker gone");
		List<Producer<byte[], byte[]>> attempts = new CopyOnWriteArrayList<>();
		WorkerProducer producer = workerProducer(ProducerOnlyClients.of(() -> {
			MockProducer<byte[], byte[]> mock = new MockProducer<>(true, null, new ByteArraySerializer(),
					new ByteArraySerializer());
			if (attempts.isEmpty()) {
				mock.initTransactionException = refused;
			}
			attempts.add(mock);
			return mock;
		}));
		producer.prepare();
		assertThatExceptionOfType(KafkaException.class).isThrownBy(producer::get).isSameAs(refused);
		assertThat(((MockProducer<byte[], byte[]>) attempts.get(0)).closed()).isTrue();
		Producer<byte[], byte[]> second = producer.get();
		assertThat(attempts).hasSize(2).last().isSameAs(second);
	}

	@Test
	void producerPreparedButNeverUsedIsClosedOnClose() {
		CountDownLatch creating = new CountDownLatch(1);
		WorkerProducer producer = workerProducer(ProducerOnlyClients.of(() -> {
			await().atMost(Duration.ofSeconds(5)).until(() -> creating.getCount() == 0);
			MockProducer<byte[], byte[]> mock = new MockProducer<>(true, null, new ByteArraySerializer(),
					new ByteArraySerializer());
			this.created.add(mock);
			return mock;
		}));
		producer.prepare();
		producer.close();
		creating.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.created.isEmpty() && this.created.get(0).closed());
	}

	@Test
	void retiredProducerIsNotInitialised() throws InterruptedException {
		CountDownLatch creating = new CountDownLatch(1);
		CountDownLatch retired = new CountDownLatch(1);
		WorkerProducer producer = workerProducer(ProducerOnlyClients.of(() -> {
			creating.countDown();
			try {
				retired.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			MockProducer<byte[], byte[]> mock = new MockProducer<>(true, null, new ByteArraySerializer(),
					new ByteArraySerializer());
			this.created.add(mock);
			return mock;
		}));
		producer.prepare();
		assertThat(creating.await(5, TimeUnit.SECONDS)).isTrue();
		producer.retire();
		retired.countDown();
		assertThatExceptionOfType(WakeupException.class).isThrownBy(producer::get);
		assertThat(this.created).singleElement().satisfies((mock) -> {
			assertThat(mock.transactionInitialized()).isFalse();
			assertThat(mock.closed()).isTrue();
		});
	}

}
