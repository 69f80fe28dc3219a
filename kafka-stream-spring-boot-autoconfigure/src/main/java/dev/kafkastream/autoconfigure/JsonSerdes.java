package dev.kafkastream.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * The serialisers and deserialisers of {@link Format#JSON}, present only when what they
 * use is on the class path: Jackson 3 and spring-kafka's Jackson serdes.
 */
interface JsonSerdes {

	/**
	 * The class JSON support needs from Jackson 3.
	 */
	String JACKSON = "tools.jackson.databind.json.JsonMapper";

	/**
	 * The class JSON support needs from spring-kafka.
	 */
	String SPRING_KAFKA = "org.springframework.kafka.support.serializer.JacksonJsonSerializer";

	/**
	 * A deserialiser of JSON into the given type.
	 * @param type the type, {@link ResolvableType#NONE} when unknown
	 * @return the deserialiser
	 */
	Deserializer<?> deserializer(ResolvableType type);

	/**
	 * A serialiser of objects as JSON.
	 * @return the serialiser
	 */
	Serializer<Object> serializer();

	/**
	 * Names the libraries JSON support needs that the class loader does not have.
	 * @param classLoader the class loader
	 * @return for example {@code Jackson 3 (tools.jackson.databind.json.JsonMapper)}, or
	 * an empty string when none is missing
	 */
	static String missingLibraries(ClassLoader classLoader) {
		List<String> missing = new ArrayList<>();
		if (!ClassUtils.isPresent(JACKSON, classLoader)) {
			missing.add("Jackson 3 (" + JACKSON + ")");
		}
		if (!ClassUtils.isPresent(SPRING_KAFKA, classLoader)) {
			missing.add("spring-kafka (" + SPRING_KAFKA + ")");
		}
		return String.join(" and ", missing);
	}

}
