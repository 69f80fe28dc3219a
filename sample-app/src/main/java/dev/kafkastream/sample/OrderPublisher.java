package dev.kafkastream.sample;

import java.util.concurrent.CompletableFuture;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Publishes orders to the source topic with Spring Boot's auto-configured
 * {@link KafkaTemplate} (JSON values, see {@code spring.kafka.producer} in
 * application.yml), keyed by customer.
 */
@Component
public class OrderPublisher {

	private final KafkaTemplate<String, Order> kafkaTemplate;

	private final String topic;

	public OrderPublisher(KafkaTemplate<String, Order> kafkaTemplate,
			@Value("${kafka-stream.sources.orders.topics}") String topic) {
		this.kafkaTemplate = kafkaTemplate;
		this.topic = topic;
	}

	/**
	 * Sends an order.
	 * @param order the order
	 * @return the result of the send
	 */
	public CompletableFuture<SendResult<String, Order>> publish(Order order) {
		return this.kafkaTemplate.send(this.topic, order.customer(), order);
	}

	public String topic() {
		return this.topic;
	}

}
