package dev.kafkastream.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kafkastream.core.DeliveryGuarantee;
import dev.kafkastream.core.NonRetryableException;
import dev.kafkastream.runtime.FailureClassifier.Kind;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.source.KafkaSourceSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FailureClassifier}.
 */
class FailureClassifierTests {

	private final List<String> lookedUp = new ArrayList<>();

	@Test
	void faultsThatGoAwayAreTransient() {
		assertThat(FailureClassifier.classify(new TimeoutException("Expiring 3 record(s)"))).isEqualTo(Kind.TRANSIENT);
		assertThat(FailureClassifier.classify(new KafkaException("wrapped", new DisconnectException())))
			.isEqualTo(Kind.TRANSIENT);
		assertThat(FailureClassifier.classify(new NotCoordinatorException("moved"))).isEqualTo(Kind.TRANSIENT);
		assertThat(FailureClassifier.classify(new OutOfMemoryError("Java heap space"))).isEqualTo(Kind.TRANSIENT);
		// the producer's timeout alone does not tell a missing topic from a slow broker
		assertThat(FailureClassifier.classify(notInMetadata("out"))).isEqualTo(Kind.TRANSIENT);
	}

	@Test
	void failuresOfTheConfigurationCannotHeal() {
		assertThat(FailureClassifier.classify(new ConfigException("linger.ms", "five", "Not a number of type LONG")))
			.isEqualTo(Kind.PERMANENT);
		assertThat(FailureClassifier.classify(new SaslAuthenticationException("Invalid username or password")))
			.isEqualTo(Kind.PERMANENT);
		assertThat(FailureClassifier.classify(new UnsupportedSaslMechanismException("SCRAM-SHA-512")))
			.isEqualTo(Kind.PERMANENT);
		assertThat(FailureClassifier.classify(new KafkaException("wrapped", new TopicAuthorizationException("no"))))
			.isEqualTo(Kind.PERMANENT);
		assertThat(FailureClassifier.classify(classNotFound("producer"))).isEqualTo(Kind.PERMANENT);
		assertThat(FailureClassifier.classify(new InvalidTopicException("bad name"))).isEqualTo(Kind.PERMANENT);
		assertThat(FailureClassifier.classify(new NonRetryableException("conflict"))).isEqualTo(Kind.PERMANENT);
		assertThat(FailureClassifier.classify(new AssertionError("the code's"))).isEqualTo(Kind.PERMANENT);
	}

	@Test
	void failuresOfARecordAreTheRecords() {
		assertThat(FailureClassifier.classify(new RecordProcessingException("The handler failed on the record",
				new TopicPartition("in", 0), 3, new IllegalStateException("poison"))))
			.isEqualTo(Kind.CAUSED_BY_A_RECORD);
		assertThat(FailureClassifier.classify(new SerializationException("bad"))).isEqualTo(Kind.CAUSED_BY_A_RECORD);
		assertThat(FailureClassifier.classify(new RecordTooLargeException("big"))).isEqualTo(Kind.CAUSED_BY_A_RECORD);
	}

	@Test
	void aSinkTopicTheBrokersSayDoesNotExistFailsAtOnceNamingTheSinkAndTheFix() {
		FailedSendException send = new FailedSendException(notInMetadata("out-topic"), "out-topic", null);
		// what a transactional producer throws at the next call
		KafkaException errorState = new KafkaException("Cannot execute transactional method because we are in an"
				+ " error state", send.getCause());
		NonRetryableException failure = classifier(true).permanentFailure(new KafkaException("next", send), false);
		assertThat(failure).isNotNull();
		assertThat(failure.getMessage()).isEqualTo("Sink 'out' could not write to topic 'out-topic': the topic does"
				+ " not exist and the broker does not create topics (auto.create.topics.enable=false). Create the"
				+ " topic, or set 'kafka-stream.sinks.out.topic' to one that exists. The send failed with"
				+ " TimeoutException: Topic out-topic not present in metadata after 60000 ms.; caused by"
				+ " UnknownTopicOrPartitionException: This server does not host this topic-partition.");
		assertThat(this.lookedUp).containsExactly("out-topic");
		assertThat(classifier(true).permanentFailure(errorState, false)).as("no failed send known").isNull();
	}

	@Test
	void aMissingDeadLetterTopicNamesTheSourceAndTheRecord() {
		FailedSendException send = new FailedSendException(notInMetadata("in.DLT"), "in.DLT", "in-0@7");
		NonRetryableException failure = classifier(true).permanentFailure(send, false);
		assertThat(failure).isNotNull();
		assertThat(failure.getMessage()).startsWith("Source 'orders' could not write a dead letter to topic 'in.DLT':"
				+ " the topic does not exist and the broker does not create topics (auto.create.topics.enable=false)."
				+ " Create the topic, or set 'kafka-stream.sources.orders.dead-letter-topic' to one that exists. The"
				+ " dead letter was the record at in-0@7; its send failed with TimeoutException: Topic in.DLT not");
	}

	@Test
	void aTopicThatExistsOrCannotBeLookedUpIsRetried() {
		FailedSendException send = new FailedSendException(notInMetadata("out"), "out", null);
		assertThat(classifier(false).permanentFailure(send, false)).isNull();
		assertThat(this.lookedUp).containsExactly("out");
	}

	@Test
	void aFailedSendForAnotherReasonOrWithoutTheBrokersAnswerIsRetriedWithoutALookup() {
		FailedSendException expired = new FailedSendException(
				new TimeoutException("Expiring 3 record(s) for out-0: 120000 ms has passed since batch creation"), "out",
				null);
		assertThat(classifier(true).permanentFailure(expired, false)).isNull();
		FailedSendException unreachable = new FailedSendException(
				new TimeoutException("Topic out not present in metadata after 60000 ms."), "out", null);
		assertThat(classifier(true).permanentFailure(unreachable, false)).isNull();
		assertThat(classifier(true).permanentFailure(new DisconnectException(), false)).isNull();
		assertThat(this.lookedUp).isEmpty();
	}

	@Test
	void aClientSettingOfTheWrongTypeNamesTheKeyAndWhereToFixIt() {
		NonRetryableException failure = classifier(false)
			.permanentFailure(new ConfigException("linger.ms", "five", "Not a number of type LONG"), false);
		assertThat(failure).isNotNull();
		assertThat(failure.getMessage()).isEqualTo("Sink 'out' could not create its producer: ConfigException:"
				+ " Invalid value five for configuration linger.ms: Not a number of type LONG. Fix 'linger.ms' under"
				+ " 'kafka-stream.sinks.out.properties' or 'kafka-stream.properties'; retrying cannot fix this.");
	}

	@Test
	void whatTheHandlerThrowsIsNotTakenForAClientsSettings() {
		NonRetryableException failure = classifier(false).permanentFailure(new RecordProcessingException(
				"The handler failed on the record", new TopicPartition("in", 0), 3,
				new ConfigException("the handler's own")), false);
		assertThat(failure).isNotNull();
		assertThat(failure.getMessage()).startsWith("Source 'orders' failed: RecordProcessingException:");
	}

	@Test
	void aConsumerClassThatCannotBeLoadedNamesTheSource() {
		NonRetryableException failure = classifier(false).permanentFailure(classNotFound("consumer"), true);
		assertThat(failure).isNotNull();
		assertThat(failure.getMessage()).isEqualTo("Source 'orders' could not create its consumer: KafkaException:"
				+ " Failed to construct kafka consumer; caused by KafkaException: Class com.example.Missing cannot be"
				+ " found. Check the client settings under 'kafka-stream.sources.orders.properties' or"
				+ " 'kafka-stream.properties'; retrying cannot fix this.");
	}

	@Test
	void anUnsupportedSaslMechanismIsARefusal() {
		NonRetryableException failure = classifier(false)
			.permanentFailure(new UnsupportedSaslMechanismException("Client SASL mechanism 'SCRAM-SHA-512' not"
					+ " enabled in the server"), true);
		assertThat(failure).isNotNull();
		assertThat(failure.getMessage()).startsWith("Source 'orders' could not authenticate to Kafka:"
				+ " UnsupportedSaslMechanismException: Client SASL mechanism 'SCRAM-SHA-512' not enabled");
	}

	@Test
	void anyOtherFailureThatCannotHealFailsAtOnce() {
		NonRetryableException failure = classifier(false)
			.permanentFailure(new InvalidTopicException("Topic name 'a b' is illegal"), false);
		assertThat(failure).isNotNull();
		assertThat(failure.getMessage()).isEqualTo("Source 'orders' failed: InvalidTopicException: Topic name 'a b'"
				+ " is illegal. Retrying cannot fix this.");
	}

	private FailureClassifier classifier(boolean topicsMissing) {
		PipelineSpec pipeline = PipelineSpec.builder()
			.source(KafkaSourceSpec.builder().name("orders").topics("in").groupId("g").build())
			.handler((record, output) -> {
			})
			.sink(KafkaSinkSpec.builder()
				.name("out")
				.topic("out-topic")
				.deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
				.transactionalIdPrefix("app")
				.producerProperties(Map.of("bootstrap.servers", "localhost:9092"))
				.build())
			.build();
		return new FailureClassifier(pipeline, (topic) -> {
			this.lookedUp.add(topic);
			return topicsMissing;
		});
	}

	private static TimeoutException notInMetadata(String topic) {
		return new TimeoutException("Topic " + topic + " not present in metadata after 60000 ms.",
				new UnknownTopicOrPartitionException("This server does not host this topic-partition."));
	}

	private static KafkaException classNotFound(String client) {
		return new KafkaException("Failed to construct kafka " + client, new KafkaException(
				"Class com.example.Missing cannot be found", new ClassNotFoundException("com.example.Missing")));
	}

}
