package dev.kafkastream.sample;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.RecordMetadata;

import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /orders} publishes an order to the source topic; {@code GET /orders/enriched}
 * shows the latest committed output of the pipeline.
 */
@RestController
@RequestMapping("/orders")
public class OrderController {

	private static final int MAX_LIMIT = 1000;

	private final OrderPublisher publisher;

	private final EnrichedOrderReader reader;

	public OrderController(OrderPublisher publisher, EnrichedOrderReader reader) {
		this.publisher = publisher;
		this.reader = reader;
	}

	/**
	 * Publishes an order; the id is generated when missing.
	 * @param order the order
	 * @return where it was written
	 */
	@PostMapping
	@ResponseStatus(HttpStatus.ACCEPTED)
	public Published publish(@RequestBody Order order) throws InterruptedException {
		if (!StringUtils.hasText(order.customer())) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "An order needs a customer");
		}
		Order withId = StringUtils.hasText(order.id()) ? order
				: new Order(UUID.randomUUID().toString(), order.customer(), order.product(), order.quantity(),
						order.unitPrice());
		try {
			RecordMetadata metadata = this.publisher.publish(withId).get(10, TimeUnit.SECONDS).getRecordMetadata();
			return new Published(withId, metadata.topic(), metadata.partition(), metadata.offset());
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Could not publish the order", ex);
		}
	}

	/**
	 * The latest enriched orders, newest first, as seen by a {@code read_committed}
	 * consumer.
	 * @param limit how many, 1 to 1000
	 * @return the orders
	 */
	@GetMapping("/enriched")
	public List<EnrichedOrder> enriched(@RequestParam(defaultValue = "10") int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + MAX_LIMIT);
		}
		return this.reader.latest(limit);
	}

	/**
	 * An order that was published.
	 * @param order the order
	 * @param topic the topic
	 * @param partition the partition
	 * @param offset the offset
	 */
	public record Published(Order order, String topic, int partition, long offset) {

	}

}
