package dev.kafkastream.autoconfigure;

import java.util.Locale;

/**
 * The built-in formats of record keys and values.
 */
public enum Format {

	/**
	 * UTF-8 text, as {@link String}.
	 */
	STRING(String.class),

	/**
	 * Raw bytes, as {@code byte[]}.
	 */
	BYTES(byte[].class),

	/**
	 * JSON, mapped to and from the handler's parameter or return type with Jackson.
	 */
	JSON(Object.class),

	/**
	 * A big-endian 8-byte {@link Long}.
	 */
	LONG(Long.class),

	/**
	 * A big-endian 4-byte {@link Integer}.
	 */
	INT(Integer.class),

	/**
	 * A big-endian 8-byte {@link Double}.
	 */
	DOUBLE(Double.class),

	/**
	 * A {@link java.util.UUID} in its string form.
	 */
	UUID(java.util.UUID.class);

	private final Class<?> javaType;

	Format(Class<?> javaType) {
		this.javaType = javaType;
	}

	/**
	 * The Java type this format reads and writes; {@code Object} for JSON, which maps any
	 * type.
	 * @return the Java type
	 */
	public Class<?> javaType() {
		return this.javaType;
	}

	/**
	 * Whether values of the given type can be read or written in this format.
	 * @param type the type
	 * @return whether it fits
	 */
	boolean fits(Class<?> type) {
		return this == JSON || type == Object.class || boxed(type) == this.javaType;
	}

	/**
	 * The format that suits a type when none is configured: the built-in format of that
	 * type, or JSON.
	 * @param type the type, {@code Object} when unknown
	 * @param unknownTypeFormat the format of {@code Object}
	 * @return the format
	 */
	static Format forType(Class<?> type, Format unknownTypeFormat) {
		if (type == Object.class) {
			return unknownTypeFormat;
		}
		Class<?> boxed = boxed(type);
		for (Format format : values()) {
			if (format != JSON && format.javaType == boxed) {
				return format;
			}
		}
		return JSON;
	}

	private static Class<?> boxed(Class<?> type) {
		if (type == long.class) {
			return Long.class;
		}
		if (type == int.class) {
			return Integer.class;
		}
		if (type == double.class) {
			return Double.class;
		}
		return type;
	}

	String propertyValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
