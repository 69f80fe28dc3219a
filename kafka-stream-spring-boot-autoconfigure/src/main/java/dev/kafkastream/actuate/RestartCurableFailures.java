package dev.kafkastream.actuate;

import dev.kafkastream.runtime.FailureClassifier;
import org.jspecify.annotations.Nullable;

/**
 * Tells the failures of a pipeline that restarting the application can cure from those
 * it would only repeat, as the runtime's {@link FailureClassifier} sorts them, so that the
 * liveness probe and the workers agree. A pipeline fails for good on a failure retrying
 * cannot fix, or after {@code kafka-stream.recovery.max-attempts} failures in a row. A
 * restart repeats a failure that cannot heal (the configuration, credentials,
 * permissions, a topic that does not exist, another instance using the same identity)
 * and one caused by a record: it reads the same record, with the same settings, next to
 * the same instance. Anything else, such as a broker that could not be reached for
 * longer than the recovery allowed, or an {@link OutOfMemoryError}, is cured by a fresh
 * start.
 */
final class RestartCurableFailures {

	private RestartCurableFailures() {
	}

	/**
	 * Whether restarting the application can cure a failure.
	 * @param failure the failure that made a pipeline fail, {@code null} when unknown
	 * @return whether the failure is transient
	 */
	static boolean isCurable(@Nullable Throwable failure) {
		return failure != null && FailureClassifier.classify(failure) == FailureClassifier.Kind.TRANSIENT;
	}

}
