package dev.kafkastream.sample;

/**
 * An order as it arrives on the {@code orders} topic, in JSON.
 *
 * @param id the order id
 * @param customer the customer, also the record key (so one customer's orders stay in order)
 * @param product the product
 * @param quantity how many items
 * @param unitPrice the price of one item
 */
public record Order(String id, String customer, String product, int quantity, double unitPrice) {

}
