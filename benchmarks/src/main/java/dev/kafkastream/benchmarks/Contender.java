package dev.kafkastream.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kafkastream.benchmarks.contenders.plain.PlainLoopContender;
import dev.kafkastream.benchmarks.contenders.springkafka.SpringKafkaContender;
import dev.kafkastream.benchmarks.contenders.starter.StarterContender;
import dev.kafkastream.benchmarks.contenders.streams.KafkaStreamsContender;

/**
 * One way of running the identity pipeline, in its own JVM.
 *
 * @param name short name, used for topics, groups and on the command line
 * @param description what it is, for the report
 * @param mainClass the contender's main class
 * @param guarantee {@code none}, {@code at-least-once} or {@code exactly-once}
 * @param interval the commit or checkpoint interval ({@code null} when the contender commits per poll)
 * @param properties extra system properties for the contender JVM
 */
record Contender(String name, String description, Class<?> mainClass, String guarantee, Duration interval,
		Map<String, String> properties) {

	static final Duration ONE_SECOND = Duration.ofSeconds(1);

	boolean exactlyOnce() {
		return "exactly-once".equals(this.guarantee);
	}

	boolean isStarter() {
		return this.mainClass == StarterContender.class;
	}

	String intervalText() {
		return (this.interval != null) ? Durations.text(this.interval) : "per poll";
	}

	static List<Contender> all() {
		List<Contender> all = new ArrayList<>();
		for (String guarantee : List.of("none", "at-least-once", "exactly-once")) {
			for (Duration interval : List.of(Duration.ofMillis(100), ONE_SECOND, Duration.ofSeconds(5))) {
				all.add(new Contender("starter-" + shortName(guarantee) + "-" + Durations.text(interval),
						"starter, identity handler on bytes", StarterContender.class, guarantee, interval,
						Map.of("bench.handler", "bytes")));
			}
		}
		for (String guarantee : List.of("at-least-once", "exactly-once")) {
			all.add(new Contender("starter-" + shortName(guarantee) + "-1s-no-client-metrics",
					"starter, identity handler on bytes, client metrics off", StarterContender.class, guarantee,
					ONE_SECOND, Map.of("bench.handler", "bytes", "bench.metrics", "no-client")));
			all.add(new Contender("starter-" + shortName(guarantee) + "-1s-no-metrics",
					"starter, identity handler on bytes, metrics and client metrics off", StarterContender.class,
					guarantee, ONE_SECOND, Map.of("bench.handler", "bytes", "bench.metrics", "off")));
		}
		for (String guarantee : List.of("at-least-once", "exactly-once")) {
			// the handler and metrics the application was processed ahead of time with (benchmarks/starter-app)
			all.add(new Contender("starter-" + shortName(guarantee) + "-1s-fast",
					"starter, identity handler on bytes, Spring AOT and a CDS archive", StarterContender.class,
					guarantee, ONE_SECOND,
					Map.of("bench.handler", "bytes", StarterApplication.START, StarterApplication.FAST)));
		}
		for (String guarantee : List.of("none", "at-least-once", "exactly-once")) {
			all.add(new Contender("starter-json-" + shortName(guarantee) + "-1s", "starter, JSON handler (record)",
					StarterContender.class, guarantee, ONE_SECOND, Map.of("bench.handler", "json")));
		}
		all.add(new Contender("starter-batch-eos-1s", "starter, identity batch handler on bytes (List<byte[]>)",
				StarterContender.class, "exactly-once", ONE_SECOND, Map.of("bench.handler", "batch")));
		all.add(new Contender("plain-alo-1s", "kafka-clients loop, flush + commitSync", PlainLoopContender.class,
				"at-least-once", ONE_SECOND, Map.of()));
		all.add(new Contender("plain-eos-1s", "kafka-clients loop, one transaction per interval",
				PlainLoopContender.class, "exactly-once", ONE_SECOND, Map.of()));
		all.add(new Contender("spring-kafka-eos", "Spring Kafka batch listener + KafkaTemplate, KafkaTransactionManager",
				SpringKafkaContender.class, "exactly-once", null, Map.of()));
		all.add(new Contender("spring-kafka-eos-backoff5", "the same with producer retry.backoff.ms=5",
				SpringKafkaContender.class, "exactly-once", null, Map.of("bench.retry-backoff-ms", "5")));
		all.add(new Contender("streams-alo-1s", "Kafka Streams at_least_once", KafkaStreamsContender.class,
				"at-least-once", ONE_SECOND, Map.of()));
		all.add(new Contender("streams-eos-1s", "Kafka Streams exactly_once_v2", KafkaStreamsContender.class,
				"exactly-once", ONE_SECOND, Map.of()));
		return all;
	}

	private static String shortName(String guarantee) {
		return switch (guarantee) {
			case "at-least-once" -> "alo";
			case "exactly-once" -> "eos";
			default -> guarantee;
		};
	}

}
