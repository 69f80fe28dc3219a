package dev.kafkastream.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of kafka-stream.
 */
public enum KafkaStreamObservation implements ObservationDocumentation {

	/**
	 * One call of a handler on one input record: a span that continues the trace of the
	 * input record's headers and whose context the records written for the call carry.
	 */
	HANDLER {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultKafkaStreamHandlerObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return HandlerLowCardinalityKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HandlerHighCardinalityKeys.values();
		}

	};

	/**
	 * Tags of a handler observation that go into metrics and spans.
	 */
	public enum HandlerLowCardinalityKeys implements KeyName {

		/**
		 * Name of the kafka-stream source that read the record.
		 */
		SOURCE {
			@Override
			public String asString() {
				return "kafka.stream.source";
			}
		},

		/**
		 * Messaging system: {@code kafka}.
		 */
		MESSAGING_SYSTEM {
			@Override
			public String asString() {
				return "messaging.system";
			}
		},

		/**
		 * Messaging operation: {@code process}.
		 */
		MESSAGING_OPERATION {
			@Override
			public String asString() {
				return "messaging.operation";
			}
		},

		/**
		 * Topic the record was read from.
		 */
		MESSAGING_SOURCE_NAME {
			@Override
			public String asString() {
				return "messaging.source.name";
			}
		},

		/**
		 * Kind of the source: {@code topic}.
		 */
		MESSAGING_SOURCE_KIND {
			@Override
			public String asString() {
				return "messaging.source.kind";
			}
		},

		/**
		 * Consumer group of the source, {@code none} for a source without one.
		 */
		MESSAGING_CONSUMER_GROUP {
			@Override
			public String asString() {
				return "messaging.kafka.consumer.group";
			}
		}

	}

	/**
	 * Tags of a handler observation that go into spans only.
	 */
	public enum HandlerHighCardinalityKeys implements KeyName {

		/**
		 * Partition the record was read from.
		 */
		MESSAGING_PARTITION {
			@Override
			public String asString() {
				return "messaging.kafka.source.partition";
			}
		},

		/**
		 * Offset of the record.
		 */
		MESSAGING_OFFSET {
			@Override
			public String asString() {
				return "messaging.kafka.message.offset";
			}
		}

	}

}
