package dev.kafkastream.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaClientSummary}: a client's configuration on one line, without its
 * defaults and with its secrets masked.
 */
class KafkaClientSummaryTests {

	private final KafkaClientSummary consumer = new KafkaClientSummary(ConsumerConfig.configDef());

	private final KafkaClientSummary producer = new KafkaClientSummary(ProducerConfig.configDef());

	private final KafkaClientSummary admin = new KafkaClientSummary(AdminClientConfig.configDef());

	@Test
	void showsClientIdAndBootstrapServersFirstThenTheSettingsThatDifferFromTheDefaultsByName() {
		Map<String, Object> config = config("app-in-0", List.of("one:9092", "two:9092"));
		config.put("group.id", "in");
		config.put("enable.auto.commit", false);
		config.put("auto.offset.reset", "none");
		config.put("isolation.level", "read_committed");
		assertThat(this.consumer.describe(config)).isEqualTo("client.id app-in-0, bootstrap.servers=one:9092,two:9092, "
				+ "auto.offset.reset=none, enable.auto.commit=false, group.id=in, isolation.level=read_committed");
	}

	@Test
	void leavesOutValuesEqualToTheDefaultInWhateverTypeTheyAreGiven() {
		Map<String, Object> config = config("app-out-0-producer", "broker:9092");
		config.put("max.poll.records", "500");
		config.put("enable.auto.commit", "true");
		config.put("session.timeout.ms", 45_000);
		config.put("auto.offset.reset", "latest");
		config.put("fetch.max.wait.ms", " 500 ");
		assertThat(this.consumer.describe(config))
			.isEqualTo("client.id app-out-0-producer, bootstrap.servers=broker:9092");
	}

	@Test
	void leavesOutTheByteArraySerialisersOfTheRuntimeButNotOthers() {
		Map<String, Object> config = config("p", "broker:9092");
		config.put("key.serializer", ByteArraySerializer.class);
		config.put("value.serializer", ByteArraySerializer.class.getName());
		config.put("compression.type", "zstd");
		config.put("transactional.id", "out-a-in-0");
		assertThat(this.producer.describe(config))
			.isEqualTo("client.id p, bootstrap.servers=broker:9092, compression.type=zstd, "
					+ "transactional.id=out-a-in-0");
		config.put("value.deserializer", ByteArrayDeserializer.class);
		config.put("value.serializer", "com.example.JsonSerializer");
		assertThat(this.producer.describe(config)).contains("value.serializer=com.example.JsonSerializer")
			.doesNotContain("deserializer");
	}

	@Test
	void masksPasswordsJaasConfigsKeysAndAnyOtherSecret() {
		Map<String, Object> config = config("a", "broker:9093");
		config.put("security.protocol", "SASL_SSL");
		config.put("sasl.mechanism", "SCRAM-SHA-512");
		config.put("sasl.jaas.config",
				"org.apache.kafka.common.security.scram.ScramLoginModule required "
						+ "username=\"u\" password=\"hunter2\";");
		config.put("ssl.key.password", "hunter2");
		config.put("ssl.keystore.password", "hunter2");
		config.put("ssl.truststore.password", "hunter2");
		config.put("ssl.keystore.key", "-----BEGIN PRIVATE KEY----- hunter2");
		config.put("ssl.keystore.location", "/etc/kafka/keystore.p12");
		config.put("listener.name.client.scram-sha-512.sasl.jaas.config", "hunter2");
		config.put("com.example.oauth.client.secret", "hunter2");
		config.put("com.example.plugin.api-token", "hunter2");
		String summary = this.admin.describe(config);
		assertThat(summary).doesNotContain("hunter2")
			.contains("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512", "sasl.jaas.config=******",
					"ssl.key.password=******", "ssl.keystore.password=******", "ssl.truststore.password=******",
					"ssl.keystore.key=******", "ssl.keystore.location=/etc/kafka/keystore.p12",
					"listener.name.client.scram-sha-512.sasl.jaas.config=******",
					"com.example.oauth.client.secret=******", "com.example.plugin.api-token=******");
	}

	@Test
	void namesTheTypeOfAnObjectHandedToAPluginInsteadOfItsToString() {
		Map<String, Object> config = config("a", "broker:9092");
		config.put("com.example.ssl.Bundle", new Object() {

			@Override
			public String toString() {
				return "password=hunter2";
			}

		});
		assertThat(this.admin.describe(config)).doesNotContain("hunter2")
			.contains("com.example.ssl.Bundle=" + KafkaClientSummaryTests.class.getName() + "$1");
	}

	@Test
	void showsAnInvalidValueAsItIsForTheClientToReject() {
		Map<String, Object> config = config("a", "broker:9092");
		config.put("max.poll.records", "many");
		assertThat(this.consumer.describe(config)).endsWith("max.poll.records=many");
	}

	private static Map<String, Object> config(String clientId, Object bootstrapServers) {
		Map<String, Object> config = new HashMap<>();
		config.put("client.id", clientId);
		config.put("bootstrap.servers", bootstrapServers);
		return config;
	}

}
