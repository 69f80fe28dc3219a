package dev.kafkastream.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SendFailure}.
 */
class SendFailureTests {

	private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(30);

	private final SendFailure sendFailure = new SendFailure();

	@Test
	void countsPendingSendsUntilTheirCallbacksComplete() {
		Callback first = this.sendFailure.sending();
		this.sendFailure.sending();
		assertThat(this.sendFailure.pending()).isEqualTo(2);
		first.onCompletion(null, null);
		assertThat(this.sendFailure.pending()).isEqualTo(1);
	}

	@Test
	void awaitReturnsAtOnceWhenFewEnoughSendsArePending() {
		this.sendFailure.sending();
		assertThat(this.sendFailure.awaitPendingAtMost(1, 0)).isTrue();
	}

	@Test
	void awaitGivesUpAfterTheTimeout() {
		this.sendFailure.sending();
		assertThat(this.sendFailure.awaitPendingAtMost(0, TimeUnit.MILLISECONDS.toNanos(20))).isFalse();
	}

	@Test
	void callbacksOnTheProducerThreadWakeTheWaitingWorkerWellBeforeTheTimeout() throws Exception {
		List<Callback> callbacks = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			callbacks.add(this.sendFailure.sending());
		}
		CompletableFuture<Boolean> waited = CompletableFuture
			.supplyAsync(() -> this.sendFailure.awaitPendingAtMost(50, LONG_WAIT));
		callbacks.forEach((callback) -> callback.onCompletion(null, null));
		long start = System.nanoTime();
		assertThat(waited.get(LONG_WAIT, TimeUnit.NANOSECONDS)).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void aFailedSendEndsTheWaitAndIsRethrown() throws Exception {
		Callback failing = this.sendFailure.sending();
		this.sendFailure.sending();
		CompletableFuture<Boolean> waited = CompletableFuture
			.supplyAsync(() -> this.sendFailure.awaitPendingAtMost(0, LONG_WAIT));
		failing.onCompletion(null, new TimeoutException("broker gone"));
		assertThat(waited.get(LONG_WAIT, TimeUnit.NANOSECONDS)).isFalse();
		assertThatExceptionOfType(SinkWriteException.class).isThrownBy(this.sendFailure::throwIfFailed)
			.withMessageContaining("broker gone");
	}

	@Test
	void clearForgetsPendingSendsAndTheFailure() {
		this.sendFailure.sending().onCompletion(null, new TimeoutException("old"));
		this.sendFailure.sending();
		this.sendFailure.clear();
		assertThat(this.sendFailure.pending()).isZero();
		this.sendFailure.throwIfFailed();
	}

	@Test
	void theFailedSendIsReportedInsteadOfTheProducersErrorStateItCaused() {
		TimeoutException sendFailed = new TimeoutException("Topic out not present in metadata after 60000 ms.");
		this.sendFailure.sending().onCompletion(metadataOf("out"), sendFailed);
		KafkaException errorState = new KafkaException(
				"Cannot execute transactional method because we are in an error state", sendFailed);
		assertThat(this.sendFailure.firstFailureBehind(errorState)).isInstanceOfSatisfying(FailedSendException.class,
				(failure) -> {
					assertThat(failure.topic()).isEqualTo("out");
					assertThat(failure).hasMessage("A record could not be written to topic 'out': TimeoutException:"
							+ " Topic out not present in metadata after 60000 ms.");
				});
		IllegalStateException unrelated = new IllegalStateException("other");
		assertThat(this.sendFailure.firstFailureBehind(unrelated)).isSameAs(unrelated);
	}

	@Test
	void aDeadLetterIsToldWrittenOnlyOnceItIs() {
		ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("in", 0, 7, null, null);
		AtomicInteger written = new AtomicInteger();
		this.sendFailure.sendingDeadLetter(record, written::incrementAndGet).onCompletion(metadataOf("in.DLT"), null);
		assertThat(written).hasValue(1);
		this.sendFailure.sendingDeadLetter(record, written::incrementAndGet)
			.onCompletion(metadataOf("in.DLT"), new TimeoutException("gone"));
		assertThat(written).hasValue(1);
		assertThat(this.sendFailure.pending()).isZero();
		assertThatExceptionOfType(FailedSendException.class).isThrownBy(this.sendFailure::throwIfFailed)
			.withMessage("The dead letter of the record at in-0@7 could not be written to topic 'in.DLT':"
					+ " TimeoutException: gone");
	}

	private static RecordMetadata metadataOf(String topic) {
		return new RecordMetadata(new TopicPartition(topic, RecordMetadata.UNKNOWN_PARTITION), -1, 0, -1, -1, -1);
	}

}
