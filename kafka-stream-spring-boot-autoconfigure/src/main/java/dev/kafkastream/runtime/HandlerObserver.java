package dev.kafkastream.runtime;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Watches the calls of a pipeline's handler, for tracing: it is told when each call starts
 * and how it ended, and adds headers, such as the trace context of the call, to the
 * records written for the call. One serves every worker of its pipeline, so it is called
 * concurrently; each {@link Call} stays on its worker's thread. A pipeline without one
 * pays nothing for it.
 */
@FunctionalInterface
public interface HandlerObserver {

	/**
	 * Called on the worker's thread right before the handler is called on a record, once
	 * for every attempt.
	 * @param record the deserialised record the handler is called on; for a
	 * {@link RecordBatchHandler}, the first record of the batch
	 * @return the call, told how it ends
	 */
	Call start(ConsumerRecord<?, ?> record);

	/**
	 * One call of the handler.
	 */
	interface Call {

		/**
		 * The handler returned normally; what it emitted is written next.
		 */
		void succeeded();

		/**
		 * The handler threw.
		 * @param failure what it threw
		 */
		void failed(Throwable failure);

		/**
		 * Adds headers to a record written for this call once it ended: each output
		 * record of a call that succeeded, and the dead letter of a record whose last
		 * call failed. Called after the input's headers (with {@code copy-headers}) and
		 * those the handler set were added; a header added here replaces those of the
		 * same name.
		 * @param headers the headers of the record being written
		 */
		void addHeaders(Headers headers);

	}

}
