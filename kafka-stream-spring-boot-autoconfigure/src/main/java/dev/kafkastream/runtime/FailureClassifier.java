package dev.kafkastream.runtime;

import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.auth.login.LoginException;

import dev.kafkastream.core.NonRetryableException;
import dev.kafkastream.sink.KafkaSinkSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jspecify.annotations.Nullable;

/**
 * Tells the failures of a pipeline that cannot heal from those that may: the one place
 * that knows which is which, so that the workers, which fail at once on the former and
 * back off and retry the latter, and the liveness probe, which asks whether a restart can
 * cure a failure, agree.
 * <p>
 * {@link #classify(Throwable)} sorts a failure by the types in its cause chain. A worker
 * also {@linkplain #permanentFailure checks} a failure against the pipeline, which finds
 * a topic that does not exist and is not created automatically (the producer gives up
 * on a topic "not present in metadata" whether it is missing or the broker is slow: the
 * topic is then looked up, within a bounded time), and describes each failure naming the
 * source or sink, the cause and what to fix.
 */
public final class FailureClassifier {

	private static final Pattern CONFIGURATION_KEY = Pattern.compile("for configuration (\\S+?):? ");

	private static final String CONSTRUCTION_FAILED = "Failed to construct kafka ";

	private static final String NOT_CREATED = "the topic does not exist and the broker does not create topics"
			+ " (auto.create.topics.enable=false)";

	private final PipelineSpec pipeline;

	private final Predicate<String> missingTopic;

	/**
	 * Creates a classifier for the failures of a pipeline's worker.
	 * @param pipeline the pipeline
	 * @param missingTopic whether a topic is known not to exist; looked up only for a
	 * send that failed because the producer found no such topic (a producer asks the
	 * broker to create a topic it does not find, so a missing one is not created)
	 */
	FailureClassifier(PipelineSpec pipeline, Predicate<String> missingTopic) {
		this.pipeline = pipeline;
		this.missingTopic = missingTopic;
	}

	/**
	 * Sorts a failure by the types in its cause chain.
	 * @param failure the failure
	 * @return its kind
	 */
	public static Kind classify(Throwable failure) {
		Kind kind = Kind.TRANSIENT;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cannotHeal(cause)) {
				return Kind.PERMANENT;
			}
			if (isCausedByARecord(cause)) {
				kind = Kind.CAUSED_BY_A_RECORD;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return kind;
	}

	private static boolean cannotHeal(Throwable failure) {
		if (failure instanceof Error) {
			// a fresh heap cures an exhausted one; other errors are the code's
			return !(failure instanceof OutOfMemoryError);
		}
		return failure instanceof NonRetryableException || failure instanceof ConfigException
				|| failure instanceof AuthenticationException || failure instanceof AuthorizationException
				|| failure instanceof LoginException || failure instanceof InvalidTopicException
				|| failure instanceof UnsupportedVersionException || failure instanceof ClassNotFoundException
				|| isClientConstruction(failure);
	}

	/**
	 * Whether a failure is Kafka's for a client that could not be created: creating one
	 * does not reach the brokers, so nothing but its settings can make it fail.
	 */
	private static boolean isClientConstruction(Throwable failure) {
		return failure instanceof KafkaException
				&& String.valueOf(failure.getMessage()).startsWith(CONSTRUCTION_FAILED);
	}

	/**
	 * The failure of a client that refused its settings, in a failure's cause chain: one
	 * it could not be created with, or a value it refused.
	 */
	private static @Nullable Throwable clientSettingsFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RecordProcessingException) {
				// what the handler threw on a record is not the client's
				return null;
			}
			if (isClientConstruction(cause) || cause instanceof ConfigException) {
				return cause;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private static boolean isCausedByARecord(Throwable failure) {
		return failure instanceof RecordProcessingException || failure instanceof SerializationException
				|| failure instanceof RecordTooLargeException;
	}

	/**
	 * The failure to fail the pipeline with at once, if retrying cannot fix the given
	 * one.
	 * @param failure a failure of the worker
	 * @param creatingConsumer whether the worker failed creating its consumer
	 * @return the failure, naming the source or sink, the cause and the fix, or
	 * {@code null} when retrying may help
	 */
	@Nullable NonRetryableException permanentFailure(Throwable failure, boolean creatingConsumer) {
		if (failure instanceof NonRetryableException nonRetryable) {
			return nonRetryable;
		}
		NonRetryableException refused = AccessFailures.check(this.pipeline, failure);
		if (refused == null) {
			refused = AccessFailures.loginFailure(this.pipeline, failure);
		}
		if (refused != null) {
			return refused;
		}
		Throwable refusedSettings = clientSettingsFailure(failure);
		if (refusedSettings != null) {
			return clientSettings(failure, refusedSettings, creatingConsumer);
		}
		NonRetryableException missing = missingTopic(failure);
		if (missing != null) {
			return missing;
		}
		if (classify(failure) == Kind.PERMANENT) {
			return new NonRetryableException(AccessFailures.clientOwner(this.pipeline, failure).description()
					+ " failed: " + Causes.describe(failure) + ". Retrying cannot fix this.", failure);
		}
		return null;
	}

	/**
	 * A client that refuses its settings: a value of the wrong type, a class that cannot
	 * be loaded or is not what the setting takes.
	 */
	private NonRetryableException clientSettings(Throwable failure, Throwable refusal, boolean creatingConsumer) {
		boolean consumer = creatingConsumer || String.valueOf(refusal.getMessage()).endsWith("kafka consumer");
		KafkaSinkSpec sink = this.pipeline.producerSink();
		AccessFailures.Owner owner = (consumer || sink == null) ? AccessFailures.sourceOwner(this.pipeline)
				: AccessFailures.sinkOwner(sink);
		String client = consumer ? "consumer" : (sink != null) ? "producer" : "dead-letter producer";
		String where = "under '" + owner.prefix() + ".properties' or 'kafka-stream.properties'";
		ConfigException config = Causes.find(refusal, ConfigException.class);
		Matcher key = CONFIGURATION_KEY.matcher((config != null) ? String.valueOf(config.getMessage()) : "");
		String fix = key.find() ? "Fix '" + key.group(1) + "' " + where : "Check the client settings " + where;
		return new NonRetryableException(owner.description() + " could not create its " + client + ": "
				+ Causes.describe(failure) + ". " + fix + "; retrying cannot fix this.", failure);
	}

	/**
	 * A send that failed because its topic does not exist and is not created
	 * automatically. The producer gives up on a topic it found no metadata for after
	 * {@code max.block.ms}, which a slow or unreachable broker causes too: only a topic
	 * the brokers said they do not know, and still say so when asked, fails the pipeline.
	 */
	private @Nullable NonRetryableException missingTopic(Throwable failure) {
		FailedSendException send = Causes.find(failure, FailedSendException.class);
		String topic = (send != null) ? send.topic() : null;
		// the producer's timeout is caused by the brokers' answer when they answered
		if (send == null || topic == null || Causes.find(failure, UnknownTopicOrPartitionException.class) == null
				|| !this.missingTopic.test(topic)) {
			return null;
		}
		String cause = Causes.describe(send.getCause());
		String deadLetterOf = send.deadLetterOf();
		if (deadLetterOf != null) {
			String source = this.pipeline.source().name();
			return new NonRetryableException("Source '" + source + "' could not write a dead letter to topic '"
					+ topic + "': " + NOT_CREATED + ". Create the topic, or set 'kafka-stream.sources." + source
					+ ".dead-letter-topic' to one that exists. The dead letter was the record at " + deadLetterOf
					+ "; its send failed with " + cause, failure);
		}
		KafkaSinkSpec sink = sinkOf(topic);
		String owner = (sink != null) ? "Sink '" + sink.name() + "'"
				: AccessFailures.clientOwner(this.pipeline, failure).description();
		String fix = (sink != null) ? "set 'kafka-stream.sinks." + sink.name() + ".topic' to one that exists"
				: "send to one that exists";
		return new NonRetryableException(owner + " could not write to topic '" + topic + "': " + NOT_CREATED
				+ ". Create the topic, or " + fix + ". The send failed with " + cause, failure);
	}

	private @Nullable KafkaSinkSpec sinkOf(String topic) {
		for (KafkaSinkSpec sink : this.pipeline.sinks()) {
			if (topic.equals(sink.topic())) {
				return sink;
			}
		}
		return null;
	}

	/**
	 * What a failure says about retrying it.
	 */
	public enum Kind {

		/**
		 * A fault that may go away, such as a broker that cannot be reached, a timeout or
		 * a coordinator that moved: retried with back-off, and cured by a restart.
		 */
		TRANSIENT,

		/**
		 * Caused by a record, such as one the handler throws on or an output that cannot
		 * be serialised: retried as the recovery settings say, but a restart reads the
		 * same record again.
		 */
		CAUSED_BY_A_RECORD,

		/**
		 * Retrying cannot fix it, nor can a restart: the configuration (client settings, a
		 * class that cannot be loaded, credentials, permissions, a topic that does not
		 * exist), or another instance using the same identity. The pipeline fails at once.
		 */
		PERMANENT

	}

}
