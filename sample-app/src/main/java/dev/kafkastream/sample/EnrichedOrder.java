package dev.kafkastream.sample;

import java.time.Instant;

/**
 * An order with its total and priority, as written to the {@code orders-enriched} topic in
 * JSON.
 *
 * @param id the order id
 * @param customer the customer
 * @param product the product
 * @param quantity how many items
 * @param unitPrice the price of one item
 * @param total quantity times unit price, rounded to cents
 * @param priority how urgent the order is, by its total
 * @param processedAt when the pipeline enriched it
 */
public record EnrichedOrder(String id, String customer, String product, int quantity, double unitPrice,
		double total, Priority priority, Instant processedAt) {

	/**
	 * Priority of an order, by its total.
	 */
	public enum Priority {

		/** Total below 100. */
		LOW,

		/** Total from 100 to below 1000. */
		NORMAL,

		/** Total of 1000 or more. */
		HIGH;

		static Priority of(double total) {
			if (total >= 1000) {
				return HIGH;
			}
			return (total >= 100) ? NORMAL : LOW;
		}

	}

}
