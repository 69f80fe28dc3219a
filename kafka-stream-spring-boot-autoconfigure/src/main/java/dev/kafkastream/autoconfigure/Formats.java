package dev.kafkastream.autoconfigure;

import dev.kafkastream.handler.HandlerMethod;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ResolvableType;

/**
 * Chooses the {@link Format} of a key or value: the configured one, checked against the
 * handler's type, or the one that suits the type.
 */
final class Formats {

	private Formats() {
	}

	static Format resolve(@Nullable Format configured, ResolvableType type, Format unknownTypeFormat, String property,
			HandlerMethod handler) {
		Class<?> javaType = (type == ResolvableType.NONE) ? Object.class : type.toClass();
		if (configured == null) {
			return Format.forType(javaType, unknownTypeFormat);
		}
		if (!configured.fits(javaType)) {
			throw new KafkaStreamConfigurationException(property,
					"Format '" + configured.propertyValue() + "' does not fit " + javaType.getName() + " of handler "
							+ handler.describe(),
					"Use " + Format.forType(javaType, unknownTypeFormat).propertyValue()
							+ ", or change the handler's type.");
		}
		return configured;
	}

}
