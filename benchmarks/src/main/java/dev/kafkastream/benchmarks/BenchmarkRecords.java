package dev.kafkastream.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * The records every contender reads and writes: key {@code k-<id % keys>} and a JSON value of a fixed size,
 * {@code {"id":<id>,"key":"k-<n>","payload":"xxx…"}}, so that identity handlers copy bytes and the JSON handler
 * reads and writes the same document. The verifier reads the id and the key back without a JSON parser.
 */
public final class BenchmarkRecords {

	private static final byte[] ID_PREFIX = "{\"id\":".getBytes(StandardCharsets.US_ASCII);

	private BenchmarkRecords() {
	}

	public static byte[] key(long id, int keys) {
		return ("k-" + (id % keys)).getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * The value of record {@code id}, padded to {@code size} bytes.
	 * @param id the record id
	 * @param keys the number of distinct keys
	 * @param size the value size in bytes
	 * @return the JSON value
	 * @throws IllegalArgumentException if {@code size} is too small for the document
	 */
	public static byte[] value(long id, int keys, int size) {
		String head = "{\"id\":" + id + ",\"key\":\"k-" + (id % keys) + "\",\"payload\":\"";
		int padding = size - head.length() - 2;
		if (padding < 0) {
			throw new IllegalArgumentException("benchmark.record-size " + size + " is too small: at least "
					+ (head.length() + 2) + " bytes are needed");
		}
		return (head + "x".repeat(padding) + "\"}").getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Reads the id back from a value written by {@link #value}.
	 * @param value the value
	 * @return the id
	 */
	public static int id(byte[] value) {
		for (int i = 0; i < ID_PREFIX.length; i++) {
			if (value[i] != ID_PREFIX[i]) {
				throw new IllegalArgumentException("Not a benchmark record: "
						+ new String(value, StandardCharsets.US_ASCII));
			}
		}
		return digits(value, ID_PREFIX.length);
	}

	/**
	 * Reads the key index back from a key written by {@link #key}.
	 * @param key the key
	 * @return the key index
	 */
	public static int keyIndex(byte[] key) {
		return digits(key, 2);
	}

	private static int digits(byte[] bytes, int from) {
		int result = 0;
		for (int i = from; i < bytes.length && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
			result = result * 10 + (bytes[i] - '0');
		}
		return result;
	}

}
