package dev.kafkastream.runtime;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * What a Kafka client's configuration changes from the client's defaults, on one line:
 * its {@code client.id}, its {@code bootstrap.servers} and every other setting whose
 * value is not the default, sorted by name. Secrets show as {@value #MASK}: every setting
 * the client defines as a password, and any other whose name says it holds a secret.
 * The byte-array (de)serialisers every client of the runtime uses are left out.
 */
final class KafkaClientSummary {

	static final String MASK = "******";

	private static final String CLIENT_ID = CommonClientConfigs.CLIENT_ID_CONFIG;

	private static final String BOOTSTRAP_SERVERS = CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG;

	private static final Pattern SECRET = Pattern
		.compile(".*(password|passphrase|secret|token|credential|jaas|keytab|\\.key$).*");

	private static final Map<String, String> BYTE_ARRAY_CLASSES = Map.of("key.serializer",
			ByteArraySerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName(),
			"key.deserializer", ByteArrayDeserializer.class.getName(), "value.deserializer",
			ByteArrayDeserializer.class.getName());

	private final Map<String, ConfigDef.ConfigKey> definitions;

	/**
	 * A summary of a kind of client.
	 * @param definitions the client's settings, such as {@code ConsumerConfig.configDef()}
	 */
	KafkaClientSummary(ConfigDef definitions) {
		this.definitions = definitions.configKeys();
	}

	/**
	 * The summary of a configuration.
	 * @param config the client's configuration
	 * @return the summary, such as
	 * {@code client.id app-in-0, bootstrap.servers=broker:9092, group.id=in, ssl.key.password=******}
	 */
	String describe(Map<String, ?> config) {
		StringJoiner line = new StringJoiner(", ");
		line.add("client.id " + config.get(CLIENT_ID));
		line.add(BOOTSTRAP_SERVERS + "=" + display(BOOTSTRAP_SERVERS, config.get(BOOTSTRAP_SERVERS)));
		new TreeMap<>(config).forEach((name, value) -> {
			if (!name.equals(CLIENT_ID) && !name.equals(BOOTSTRAP_SERVERS) && !isDefault(name, value)
					&& !isByteArrayClass(name, value)) {
				line.add(name + "=" + display(name, value));
			}
		});
		return line.toString();
	}

	private boolean isDefault(String name, @Nullable Object value) {
		ConfigDef.ConfigKey key = this.definitions.get(name);
		if (key == null || value == null || key.defaultValue == ConfigDef.NO_DEFAULT_VALUE) {
			return false;
		}
		try {
			return Objects.equals(ConfigDef.convertToString(ConfigDef.parseType(name, value, key.type), key.type),
					ConfigDef.convertToString(key.defaultValue, key.type));
		}
		catch (ConfigException ex) {
			// the client says what is wrong with it
			return false;
		}
	}

	private static boolean isByteArrayClass(String name, @Nullable Object value) {
		String byteArrayClass = BYTE_ARRAY_CLASSES.get(name);
		return byteArrayClass != null && value != null
				&& byteArrayClass.equals((value instanceof Class<?> type) ? type.getName() : value.toString());
	}

	private String display(String name, @Nullable Object value) {
		if (value == null) {
			return "null";
		}
		if (isSecret(name)) {
			return MASK;
		}
		if (value instanceof Class<?> type) {
			return type.getName();
		}
		if (value instanceof Iterable<?> values) {
			StringJoiner joined = new StringJoiner(",");
			values.forEach((each) -> joined.add(String.valueOf(each)));
			return joined.toString();
		}
		if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
			return value.toString();
		}
		// an object handed to a plug-in, such as an SSL bundle: its toString could say anything
		return value.getClass().getName();
	}

	private boolean isSecret(String name) {
		ConfigDef.ConfigKey key = this.definitions.get(name);
		return (key != null && key.type == ConfigDef.Type.PASSWORD)
				|| SECRET.matcher(name.toLowerCase(Locale.ROOT)).matches();
	}

}
