package dev.kafkastream.sample;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Publishes random orders at {@code sample.generator.rate} orders per second, so the
 * pipeline has something to do. About one order in twenty is invalid (quantity 0) and is
 * dropped by the {@link OrderEnricher}. Switch it off with
 * {@code sample.generator.enabled=false}: checked when the application starts rather than
 * by a condition, so that it also works in an AOT-processed application, whose
 * conditions were evaluated at build time.
 */
@Component
public class OrderGenerator implements SchedulingConfigurer {

	private static final Logger logger = LoggerFactory.getLogger(OrderGenerator.class);

	private static final List<String> CUSTOMERS = List.of("alice", "bob", "carol", "dave", "erin", "frank");

	private static final List<String> PRODUCTS = List.of("keyboard", "monitor", "mouse", "laptop", "headset");

	private final OrderPublisher publisher;

	private final boolean enabled;

	private final double rate;

	private final AtomicLong published = new AtomicLong();

	public OrderGenerator(OrderPublisher publisher, @Value("${sample.generator.enabled:true}") boolean enabled,
			@Value("${sample.generator.rate:10}") double rate) {
		if (enabled && rate <= 0) {
			throw new IllegalArgumentException("sample.generator.rate must be positive, but is " + rate);
		}
		this.publisher = publisher;
		this.enabled = enabled;
		this.rate = rate;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		if (!this.enabled) {
			return;
		}
		Duration period = Duration.ofNanos((long) (1_000_000_000L / this.rate));
		registrar.addFixedRateTask(this::publishOne, period);
		logger.info("Generating {} orders/s to topic '{}'", this.rate, this.publisher.topic());
	}

	void publishOne() {
		Order order = randomOrder();
		this.publisher.publish(order).whenComplete((result, ex) -> {
			if (ex != null) {
				logger.warn("Could not publish order {}: {}", order.id(), ex.toString());
			}
			else if (this.published.incrementAndGet() % 100 == 0) {
				logger.info("Generated {} orders", this.published.get());
			}
		});
	}

	static Order randomOrder() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int quantity = (random.nextInt(20) == 0) ? 0 : 1 + random.nextInt(5);
		double unitPrice = random.nextInt(1_000, 150_000) / 100.0;
		return new Order(UUID.randomUUID().toString(), CUSTOMERS.get(random.nextInt(CUSTOMERS.size())),
				PRODUCTS.get(random.nextInt(PRODUCTS.size())), quantity, unitPrice);
	}

}
