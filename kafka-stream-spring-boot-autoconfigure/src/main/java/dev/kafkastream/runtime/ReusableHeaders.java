package dev.kafkastream.runtime;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;

/**
 * Headers a {@link SinkWriter} fills for one output record and empties again: the
 * serialisers may add to them, and a {@link org.apache.kafka.clients.producer.ProducerRecord}
 * copies them, so one instance serves every record of a worker and a record without
 * headers costs no header objects of its own. Confined to one thread.
 */
final class ReusableHeaders implements Headers {

	private final List<Header> headers = new ArrayList<>();

	@Override
	public Headers add(Header header) {
		this.headers.add(header);
		return this;
	}

	@Override
	public Headers add(String key, byte @Nullable [] value) {
		return add(new RecordHeader(key, value));
	}

	@Override
	public Headers remove(String key) {
		this.headers.removeIf((header) -> header.key().equals(key));
		return this;
	}

	@Override
	public @Nullable Header lastHeader(String key) {
		for (int i = this.headers.size() - 1; i >= 0; i--) {
			if (this.headers.get(i).key().equals(key)) {
				return this.headers.get(i);
			}
		}
		return null;
	}

	@Override
	public Iterable<Header> headers(String key) {
		return this.headers.stream().filter((header) -> header.key().equals(key)).toList();
	}

	@Override
	public Header[] toArray() {
		return this.headers.toArray(new Header[0]);
	}

	@Override
	public Iterator<Header> iterator() {
		return this.headers.iterator();
	}

	boolean isEmpty() {
		return this.headers.isEmpty();
	}

	void clear() {
		this.headers.clear();
	}

}
