package dev.kafkastream.runtime;

import org.jspecify.annotations.Nullable;

/**
 * Looks through the cause chain of a failure: Kafka clients wrap what went wrong.
 */
final class Causes {

	private Causes() {
	}

	/**
	 * Describes a failure with every cause in its chain, so the root cause reaches a log
	 * line, a status or a header without a stack trace: a deserialiser that wraps a parse
	 * error ({@code Can't deserialize data from topic [orders]}) is described with the
	 * parser's message ({@code Unexpected end-of-input ... line: 1, column: 12}) too. A
	 * cause whose message its wrapper repeats already is left out; line breaks become
	 * spaces.
	 * @param failure the failure
	 * @return {@code Type: message; caused by Type: message ...}
	 */
	static String describe(Throwable failure) {
		StringBuilder description = new StringBuilder();
		String previous = null;
		int depth = 0;
		for (Throwable cause = failure; cause != null && depth < 10; cause = cause.getCause(), depth++) {
			String message = cause.getMessage();
			boolean repeated = message != null && previous != null && previous.contains(message);
			if (cause == failure || !repeated) {
				if (cause != failure) {
					description.append("; caused by ");
				}
				description.append(cause.getClass().getSimpleName());
				if (message != null) {
					description.append(": ").append(message.replaceAll("\\s*\\R\\s*", " ").trim());
				}
			}
			previous = message;
			if (cause.getCause() == cause) {
				break;
			}
		}
		return description.toString();
	}

	/**
	 * The last cause in a failure's chain.
	 * @param failure the failure
	 * @return its root cause, the failure itself when it has no cause
	 */
	static Throwable root(Throwable failure) {
		Throwable root = failure;
		for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 10; depth++) {
			root = root.getCause();
		}
		return root;
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
