package dev.kafkastream.sample;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderEnricherTest {

	private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

	private final OrderEnricher enricher = new OrderEnricher(Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void computesTotalAndPriority() {
		EnrichedOrder enriched = this.enricher.enrich(new Order("o-1", "alice", "laptop", 3, 333.335));
		assertThat(enriched).isEqualTo(new EnrichedOrder("o-1", "alice", "laptop", 3, 333.335, 1000.01,
				EnrichedOrder.Priority.HIGH, NOW));
	}

	@Test
	void roundsTotalsToCents() {
		assertThat(OrderEnricher.total(3, 0.1)).isEqualTo(0.3);
		assertThat(OrderEnricher.total(7, 14.285)).isEqualTo(100.0);
	}

	@Test
	void assignsPriorityByTotal() {
		assertThat(this.enricher.enrich(new Order("a", "c", "p", 1, 99.99)).priority())
			.isEqualTo(EnrichedOrder.Priority.LOW);
		assertThat(this.enricher.enrich(new Order("b", "c", "p", 1, 100)).priority())
			.isEqualTo(EnrichedOrder.Priority.NORMAL);
		assertThat(this.enricher.enrich(new Order("c", "c", "p", 2, 500)).priority())
			.isEqualTo(EnrichedOrder.Priority.HIGH);
	}

	@Test
	void dropsInvalidOrders() {
		assertThat(this.enricher.enrich(new Order("a", "c", "p", 0, 10))).isNull();
		assertThat(this.enricher.enrich(new Order("b", "c", "p", -1, 10))).isNull();
		assertThat(this.enricher.enrich(new Order("c", "c", "p", 1, -10))).isNull();
		assertThat(this.enricher.enrich(null)).isNull();
	}

}
