package dev.kafkastream.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by a batch handler ({@code @KafkaStreamHandler(batch = true)}) to name the record
 * of the batch it failed on. The records before it are handled again as a batch of their
 * own and written once that call returns normally, the failed record alone goes through
 * the source's handler retries and error policy, and the records after it are handled
 * again as another batch. A batch handler that throws anything else fails the whole
 * batch: it is retried as a whole, then each of its records goes to the policy.
 *
 * <pre class="code">
 * &#64;KafkaStreamHandler(source = "orders", sink = "priced", batch = true)
 * List&lt;Priced&gt; price(List&lt;Order&gt; orders) {
 *     for (int i = 0; i &lt; orders.size(); i++) {
 *         try { ... }
 *         catch (PricingException ex) {
 *             throw new BatchRecordFailedException(i, ex);
 *         }
 *     }
 * }
 * </pre>
 */
public class BatchRecordFailedException extends KafkaStreamException {

	private final int index;

	/**
	 * Creates an exception naming the failed record.
	 * @param index the index of the failed record in the list the handler was given
	 * @param cause why it failed, what the error policy and a dead letter report
	 */
	public BatchRecordFailedException(int index, @Nullable Throwable cause) {
		super("The handler failed on the record at index " + index + " of its batch", cause);
		this.index = index;
	}

	/**
	 * The index of the failed record in the list the handler was given.
	 * @return the index
	 */
	public int index() {
		return this.index;
	}

}
