package dev.kafkastream.it.scaling;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.kafkastream.runtime.RecordHandler;
import dev.kafkastream.runtime.RecordOutput;
import dev.kafkastream.test.TestRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Writes every input value through unchanged, taking a fixed time per record: a slow
 * transformation, so that a worker with a backlog spends its time inside a batch and the
 * rebalances of a scaling group reach it there. It counts the records it handled, and adds
 * their input ids to a set it may share with the handlers of other instances, which tells
 * how many distinct inputs the group has handled.
 */
final class ThrottledPassThrough implements RecordHandler {

	private final long nanosPerRecord;

	private final Set<Long> handledIds;

	private final AtomicLong handled = new AtomicLong();

	ThrottledPassThrough(int recordsPerSecond, Set<Long> handledIds) {
		this.nanosPerRecord = TimeUnit.SECONDS.toNanos(1) / recordsPerSecond;
		this.handledIds = handledIds;
	}

	@Override
	public void handle(ConsumerRecord<Object, Object> record, RecordOutput output) throws InterruptedException {
		// a deliberately slow handler is the behaviour under test here, not synchronisation
		TimeUnit.NANOSECONDS.sleep(this.nanosPerRecord);
		output.emit(record.value());
		this.handled.incrementAndGet();
		TestRecords.parseId(new String((byte[]) record.value(), StandardCharsets.UTF_8))
			.ifPresent(this.handledIds::add);
	}

	/**
	 * The calls that returned, including those whose output was later rolled back.
	 * @return the number of records handled
	 */
	long handled() {
		return this.handled.get();
	}

}
