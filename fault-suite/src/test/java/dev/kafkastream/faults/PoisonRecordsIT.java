package dev.kafkastream.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Poison records mixed into the input, one in every thousand, under each policy: values
 * that are not UTF-8 (the application's deserializer refuses them) under
 * {@code on-deserialization-error}, and values the handler throws on under
 * {@code on-handler-error}, each with {@code skip} and {@code dead-letter}. The good
 * records pass the universal check. Dead letters land in {@code <input>.DLT} exactly once
 * each, across a SIGKILL inside an open transaction, with spring-kafka's headers naming
 * the record they came from; skipped records reach no topic and the {@code kafkastream}
 * endpoint counts each once.
 */
class PoisonRecordsIT {

	private static final int POISON_EVERY = 1000;

	@RegisterExtension
	static final FaultCluster cluster = new FaultCluster();

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource({ "deserialization, skip", "deserialization, dead-letter", "handler, skip", "handler, dead-letter" })
	void poisonRecordsUnderEachPolicy(String error, String policy) {
		boolean deadLetter = policy.equals("dead-letter");
		try (FaultScenario scenario = new FaultScenario(cluster, "poison-" + error + "-" + policy, "exactly-once")) {
			String deadLetters = scenario.input() + ".DLT";
			// the brokers do not create topics: the start-up checks want the dead-letter topic
			cluster.createTopics(FaultScenario.PARTITIONS, deadLetters);
			scenario.with("--kafka-stream.sources.in.on-" + error + "-error=" + policy);
			FaultApp app = scenario.app("a", !deadLetter).start();
			LoadDriver load = scenario.startLoad(poison(error));
			if (deadLetter) {
				killInsideAnOpenTransaction(scenario, app, load);
			}
			load.finish();
			List<Long> poisonIds = load.poisonIds();
			assertThat(poisonIds).as("poison records sent").isNotEmpty();
			String note;
			if (deadLetter) {
				await("every poison record in " + deadLetters).atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofMillis(200))
					.untilAsserted(() -> assertThat(deadLetterIds(deadLetters)).containsAll(poisonIds));
				note = poisonIds.size() + " poison → DLT once each";
			}
			else {
				await("the endpoint counts every skipped poison record").atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofMillis(200))
					.ignoreExceptions()
					.untilAsserted(() -> assertThat(count(app, "skipped")).isEqualTo(poisonIds.size()));
				assertThat(count(app, "deadLettered")).as("dead letters counted under skip").isZero();
				note = poisonIds.size() + " poison → skipped, counted " + poisonIds.size();
			}
			scenario.check(List.of(error + " errors: " + policy, note));
			List<ConsumerRecord<byte[], byte[]>> letters = DeadLetters.readCommitted(cluster, deadLetters);
			if (deadLetter) {
				assertDeadLetteredOnceEach(scenario.input(), letters, poisonIds);
			}
			else {
				assertThat(letters).as("dead letters under skip").isEmpty();
			}
		}
	}

	private static LongFunction<byte[]> poison(String error) {
		return (id) -> {
			if (id % POISON_EVERY != POISON_EVERY / 2) {
				return null;
			}
			if (error.equals("handler")) {
				return (id + "|poison").getBytes(StandardCharsets.UTF_8);
			}
			// the id, then bytes that are not UTF-8: 0xC3 opens a two-byte sequence, 0x28 does not continue one
			byte[] prefix = (id + "|").getBytes(StandardCharsets.US_ASCII);
			byte[] value = new byte[prefix.length + 2];
			System.arraycopy(prefix, 0, value, 0, prefix.length);
			value[prefix.length] = (byte) 0xC3;
			value[prefix.length + 1] = 0x28;
			return value;
		};
	}

	/**
	 * Kills the application halfway through the load while a transaction is open on the
	 * output, so that dead letters of that transaction are aborted and written again after
	 * the restart.
	 */
	private static void killInsideAnOpenTransaction(FaultScenario scenario, FaultApp app, LoadDriver load) {
		load.awaitSent(0.5);
		scenario.progress().awaitCommitted(1);
		scenario.awaitOpenTransaction();
		scenario.killAndRestart(app);
	}

	private static List<Long> deadLetterIds(String topic) {
		return DeadLetters.readCommitted(cluster, topic).stream().map((letter) -> DeadLetters.id(letter.value())).toList();
	}

	private static void assertDeadLetteredOnceEach(String input, List<ConsumerRecord<byte[], byte[]>> letters,
			List<Long> poisonIds) {
		Map<Long, Long> timesById = letters.stream()
			.collect(Collectors.groupingBy((letter) -> DeadLetters.id(letter.value()), Collectors.counting()));
		assertThat(timesById.keySet()).as("ids in the dead-letter topic").containsExactlyInAnyOrderElementsOf(poisonIds);
		assertThat(timesById).as("dead letters written more than once").allSatisfy((id, times) -> assertThat(times).isOne());
		Map<String, byte[]> inputByPosition = new HashMap<>();
		DeadLetters.readCommitted(cluster, input)
			.forEach((record) -> inputByPosition.put(record.partition() + "@" + record.offset(), record.value()));
		assertThat(letters).as("dead letters with spring-kafka's headers naming the record they came from")
			.allSatisfy((letter) -> {
				assertThat(DeadLetters.stringHeader(letter, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(input);
				String position = DeadLetters.intHeader(letter, DeadLetters.ORIGINAL_PARTITION) + "@"
						+ DeadLetters.longHeader(letter, DeadLetters.ORIGINAL_OFFSET);
				assertThat(inputByPosition.get(position)).as("input record at %s", position).isEqualTo(letter.value());
			});
	}

	private static long count(FaultApp app, String counter) {
		String body = app.actuator("/actuator/kafkastream");
		assertThat(body).as("the kafkastream endpoint of %s", app).isNotNull();
		return ((Number) JsonPath.read(body, "$.sources.in." + counter)).longValue();
	}

}
