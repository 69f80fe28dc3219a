package dev.kafkastream.sample;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Sample application: JSON orders from the {@code orders} topic are enriched by
 * {@link OrderEnricher} and written, exactly-once, to {@code orders-enriched}.
 *
 * <p>Without configured bootstrap servers it runs on an in-process Kafka broker started
 * by kafka-stream-spring-boot-dev-broker (a development-only dependency); with {@code spring.kafka.bootstrap-servers} or
 * {@code kafka-stream.bootstrap-servers} set it uses that cluster. Either way the two topics
 * are created by Spring Boot's {@code KafkaAdmin} from the {@link NewTopic} beans below when
 * they do not exist.
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

	@Bean
	NewTopic ordersTopic(@Value("${kafka-stream.sources.orders.topics}") String topic,
			@Value("${sample.topic-partitions:3}") int partitions) {
		return TopicBuilder.name(topic).partitions(partitions).build();
	}

	@Bean
	NewTopic enrichedOrdersTopic(@Value("${kafka-stream.sinks.enriched.topic}") String topic,
			@Value("${sample.topic-partitions:3}") int partitions) {
		return TopicBuilder.name(topic).partitions(partitions).build();
	}

}
