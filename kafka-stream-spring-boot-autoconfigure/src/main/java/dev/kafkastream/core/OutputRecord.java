package dev.kafkastream.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;

/**
 * A record a handler writes to its sink when a plain value is not enough: it sets the key,
 * headers, topic or timestamp of the output record. Whatever it leaves unset is decided as
 * for a plain value: the input record's key bytes, no headers (or the input's with
 * {@code copy-headers}), the sink's topic or topic selector, and the input record's
 * timestamp (unless {@code write-timestamp} is off).
 * <p>
 * The key and value are serialised by the sink's key and value serialisers; the type
 * arguments, when the handler declares them, choose the default formats.
 * <pre class="code">
 * OutputRecord.of(order.customerId(), enriched)
 * OutputRecord.builder(enriched).key(order.customerId()).header("source", "web").topic("vip-orders").build()
 * </pre>
 *
 * @param <K> the type of the key
 * @param <V> the type of the value
 */
public final class OutputRecord<K, V> {

	private final @Nullable K key;

	private final boolean keySet;

	private final @Nullable V value;

	private final List<Header> headers;

	private final @Nullable String topic;

	private final @Nullable Long timestamp;

	private OutputRecord(@Nullable K key, boolean keySet, @Nullable V value, List<Header> headers, @Nullable String topic,
			@Nullable Long timestamp) {
		this.key = key;
		this.keySet = keySet;
		this.value = value;
		this.headers = headers;
		this.topic = topic;
		this.timestamp = timestamp;
	}

	/**
	 * A record with a value; everything else as for a plain value.
	 * @param value the value, {@code null} for a tombstone
	 * @param <K> the type of the key
	 * @param <V> the type of the value
	 * @return the record
	 */
	public static <K, V> OutputRecord<K, V> of(@Nullable V value) {
		return new OutputRecord<>(null, false, value, List.of(), null, null);
	}

	/**
	 * A record with a key and a value.
	 * @param key the key, serialised by the sink's key serialiser; {@code null} writes a
	 * record without a key
	 * @param value the value, {@code null} for a tombstone
	 * @param <K> the type of the key
	 * @param <V> the type of the value
	 * @return the record
	 */
	public static <K, V> OutputRecord<K, V> of(@Nullable K key, @Nullable V value) {
		return new OutputRecord<>(key, true, value, List.of(), null, null);
	}

	/**
	 * A builder of a record with the given value.
	 * @param value the value, {@code null} for a tombstone
	 * @param <K> the type of the key
	 * @param <V> the type of the value
	 * @return the builder
	 */
	public static <K, V> Builder<K, V> builder(@Nullable V value) {
		return new Builder<>(value);
	}

	/**
	 * The key, when {@link #hasKey()}.
	 * @return the key
	 */
	public @Nullable K key() {
		return this.key;
	}

	/**
	 * Whether the record sets its key (possibly to {@code null}); if not, the output record
	 * carries the input record's key bytes unchanged.
	 * @return whether the key is set
	 */
	public boolean hasKey() {
		return this.keySet;
	}

	public @Nullable V value() {
		return this.value;
	}

	/**
	 * The headers the record sets, in order.
	 * @return the headers, possibly empty; unmodifiable
	 */
	public List<Header> headers() {
		return this.headers;
	}

	/**
	 * The topic to write to, instead of the sink's topic or topic selector.
	 * @return the topic, or {@code null} for the sink's choice
	 */
	public @Nullable String topic() {
		return this.topic;
	}

	/**
	 * The timestamp of the output record, in milliseconds since the epoch.
	 * @return the timestamp, or {@code null} for the sink's choice
	 */
	public @Nullable Long timestamp() {
		return this.timestamp;
	}

	@Override
	public String toString() {
		return "OutputRecord[" + (this.keySet ? "key=" + this.key + ", " : "") + "value=" + this.value
				+ (this.headers.isEmpty() ? "" : ", headers=" + this.headers)
				+ ((this.topic != null) ? ", topic=" + this.topic : "")
				+ ((this.timestamp != null) ? ", timestamp=" + this.timestamp : "") + "]";
	}

	/**
	 * Builder of {@link OutputRecord}.
	 *
	 * @param <K> the type of the key
	 * @param <V> the type of the value
	 */
	public static final class Builder<K, V> {

		private final @Nullable V value;

		private @Nullable K key;

		private boolean keySet;

		private final List<Header> headers = new ArrayList<>(2);

		private @Nullable String topic;

		private @Nullable Long timestamp;

		private Builder(@Nullable V value) {
			this.value = value;
		}

		/**
		 * Sets the key.
		 * @param key the key, serialised by the sink's key serialiser; {@code null} writes a
		 * record without a key
		 * @return this
		 */
		public Builder<K, V> key(@Nullable K key) {
			this.key = key;
			this.keySet = true;
			return this;
		}

		/**
		 * Adds a header.
		 * @param name the name
		 * @param value the value, or {@code null}
		 * @return this
		 */
		public Builder<K, V> header(String name, byte @Nullable [] value) {
			this.headers.add(new RecordHeader(Objects.requireNonNull(name, "name"), value));
			return this;
		}

		/**
		 * Adds a header whose value is the UTF-8 bytes of a string.
		 * @param name the name
		 * @param value the value
		 * @return this
		 */
		public Builder<K, V> header(String name, String value) {
			return header(name, value.getBytes(StandardCharsets.UTF_8));
		}

		/**
		 * Adds headers, such as those of the input record.
		 * @param headers the headers
		 * @return this
		 */
		public Builder<K, V> headers(Iterable<Header> headers) {
			headers.forEach(this.headers::add);
			return this;
		}

		/**
		 * Sets the topic, instead of the sink's topic or topic selector.
		 * @param topic the topic
		 * @return this
		 */
		public Builder<K, V> topic(@Nullable String topic) {
			this.topic = topic;
			return this;
		}

		/**
		 * Sets the timestamp, instead of the input record's (or the producer's, when the
		 * sink does not write timestamps).
		 * @param timestamp the timestamp in milliseconds since the epoch
		 * @return this
		 */
		public Builder<K, V> timestamp(@Nullable Long timestamp) {
			this.timestamp = timestamp;
			return this;
		}

		public OutputRecord<K, V> build() {
			return new OutputRecord<>(this.key, this.keySet, this.value, List.copyOf(this.headers), this.topic,
					this.timestamp);
		}

	}

}
