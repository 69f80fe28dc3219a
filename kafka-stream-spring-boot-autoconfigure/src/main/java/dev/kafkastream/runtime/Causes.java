package dev.kafkastream.runtime;

import org.jspecify.annotations.Nullable;

/**
 * Looks through the cause chain of a failure: Kafka clients wrap what went wrong.
 */
final class Causes {

	private Causes() {
	}

	/**
	 * The first failure of the given type in a cause chain.
	 * @param <T> the type
	 * @param failure the failure, first in its chain
	 * @param type the type to look for
	 * @return the failure or cause of that type, or {@code null} if there is none
	 */
	static <T extends Throwable> @Nullable T find(@Nullable Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

}
