package dev.kafkastream.handler;

import dev.kafkastream.core.RecordContext;
import dev.kafkastream.core.SinkEmitter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

/**
 * What a parameter of a {@link KafkaStreamHandler} method receives from each record.
 * Chosen once per parameter at start-up, so that each record costs no more than a field
 * read, and a {@link RecordContext} is only created for a method that asks for one.
 */
enum HandlerArgument {

	/**
	 * The record value, deserialised to the parameter's type.
	 */
	VALUE("the record value") {

		@Override
		@Nullable Object resolve(ConsumerRecord<Object, Object> record, SinkEmitter emitter) {
			return record.value();
		}

	},

	/**
	 * The record key, deserialised to the type of the {@link RecordKey @RecordKey}
	 * parameter.
	 */
	KEY("the @RecordKey key") {

		@Override
		@Nullable Object resolve(ConsumerRecord<Object, Object> record, SinkEmitter emitter) {
			return record.key();
		}

	},

	/**
	 * The record's {@link org.apache.kafka.common.header.Headers}.
	 */
	HEADERS("the Headers") {

		@Override
		Object resolve(ConsumerRecord<Object, Object> record, SinkEmitter emitter) {
			return record.headers();
		}

	},

	/**
	 * The record's topic, partition, offset and timestamp as a {@link RecordContext}.
	 */
	CONTEXT("the RecordContext") {

		@Override
		Object resolve(ConsumerRecord<Object, Object> record, SinkEmitter emitter) {
			return RecordContext.of(record);
		}

	},

	/**
	 * The whole {@link ConsumerRecord}.
	 */
	RECORD("the ConsumerRecord") {

		@Override
		Object resolve(ConsumerRecord<Object, Object> record, SinkEmitter emitter) {
			return record;
		}

	},

	/**
	 * A {@link SinkEmitter} writing to the pipeline's sinks by name.
	 */
	EMITTER("the SinkEmitter") {

		@Override
		Object resolve(ConsumerRecord<Object, Object> record, SinkEmitter emitter) {
			return emitter;
		}

	};

	private final String description;

	HandlerArgument(String description) {
		this.description = description;
	}

	/**
	 * The argument for a record.
	 * @param record the deserialised record
	 * @param emitter where the handler emits to the pipeline's sinks by name
	 * @return the argument
	 */
	abstract @Nullable Object resolve(ConsumerRecord<Object, Object> record, SinkEmitter emitter);

	/**
	 * What the parameter receives, for error messages.
	 * @return the description
	 */
	String description() {
		return this.description;
	}

}
