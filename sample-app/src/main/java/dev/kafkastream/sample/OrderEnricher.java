package dev.kafkastream.sample;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;

import dev.kafkastream.handler.KafkaStreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The pipeline: every record of source {@code orders} is passed to {@link #enrich(Order)}
 * and what it returns is written to sink {@code enriched}, in the same Kafka transaction as
 * the source offsets (the sink is exactly-once). The output record keeps the input key.
 */
@Component
public class OrderEnricher {

	private static final Logger logger = LoggerFactory.getLogger(OrderEnricher.class);

	private final Clock clock;

	public OrderEnricher() {
		this(Clock.systemUTC());
	}

	OrderEnricher(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Enriches one order.
	 * @param order the order, mapped from JSON
	 * @return the enriched order, or {@code null} to drop an invalid order
	 */
	@KafkaStreamHandler(source = "orders", sink = "enriched")
	public EnrichedOrder enrich(Order order) {
		if (order == null || order.quantity() <= 0 || order.unitPrice() < 0) {
			logger.debug("Dropping invalid order {}", order);
			return null;
		}
		double total = total(order.quantity(), order.unitPrice());
		return new EnrichedOrder(order.id(), order.customer(), order.product(), order.quantity(), order.unitPrice(),
				total, EnrichedOrder.Priority.of(total), this.clock.instant());
	}

	/**
	 * Quantity times unit price, rounded half-up to cents.
	 * @param quantity the quantity
	 * @param unitPrice the unit price
	 * @return the total
	 */
	static double total(int quantity, double unitPrice) {
		return BigDecimal.valueOf(unitPrice)
			.multiply(BigDecimal.valueOf(quantity))
			.setScale(2, RoundingMode.HALF_UP)
			.doubleValue();
	}

}
