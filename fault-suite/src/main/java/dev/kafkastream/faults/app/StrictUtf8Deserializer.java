package dev.kafkastream.faults.app;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads values as UTF-8 and refuses bytes that are not, where Kafka's
 * {@code StringDeserializer} would replace them: the fault suite's corrupt records.
 */
public class StrictUtf8Deserializer implements Deserializer<String> {

	@Override
	public String deserialize(String topic, byte[] data) {
		if (data == null) {
			return null;
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(data))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new SerializationException("Not UTF-8: " + data.length + " bytes from topic " + topic, ex);
		}
	}

}
