package dev.kafkastream.actuate;

import java.util.List;

import dev.kafkastream.core.NonRetryableException;
import dev.kafkastream.runtime.RecordProcessingException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jspecify.annotations.Nullable;

/**
 * Tells the failures of a pipeline that restarting the application can cure from those
 * it would only repeat. A pipeline fails for good on a failure retrying cannot fix, or
 * after {@code kafka-stream.recovery.max-attempts} failures in a row. A restart repeats a
 * failure caused by a record (a corrupt record, a handler that throws on it, an output
 * too large or that cannot be serialised), by the configuration (Kafka client settings,
 * credentials, permissions, a missing starting offset, a topic name) or by another
 * instance using the same identity: it reads the same record, with the same settings,
 * next to the same instance. Anything else, such as a broker that could not be reached
 * for longer than the recovery allowed, or a {@link OutOfMemoryError}, is cured by a
 * fresh start.
 */
final class RestartCurableFailures {

	private static final List<Class<? extends Throwable>> REPEATED_BY_A_RESTART = List.of(NonRetryableException.class,
			RecordProcessingException.class, ConfigException.class, AuthenticationException.class,
			AuthorizationException.class, SerializationException.class, RecordTooLargeException.class,
			InvalidTopicException.class, UnsupportedVersionException.class);

	private RestartCurableFailures() {
	}

	/**
	 * Whether restarting the application can cure a failure.
	 * @param failure the failure that made a pipeline fail, {@code null} when unknown
	 * @return whether the failure, and every cause in its chain, is not one a restart
	 * repeats
	 */
	static boolean isCurable(@Nullable Throwable failure) {
		if (failure == null) {
			return false;
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (isRepeatedByARestart(cause)) {
				return false;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return true;
	}

	private static boolean isRepeatedByARestart(Throwable failure) {
		if (failure instanceof Error) {
			// a fresh heap cures an exhausted one; other errors are the code's
			return !(failure instanceof OutOfMemoryError);
		}
		return REPEATED_BY_A_RESTART.stream().anyMatch((type) -> type.isInstance(failure));
	}

}
