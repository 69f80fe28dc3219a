package dev.kafkastream.observation;

import dev.kafkastream.runtime.HandlerObserver;
import org.jspecify.annotations.Nullable;

/**
 * Gives each pipeline whose handler calls are observed its {@link HandlerObserver}. The
 * type names no Micrometer class, so the auto-configuration of the pipelines can ask for
 * it whether Micrometer is there or not.
 */
@FunctionalInterface
public interface HandlerObserverFactory {

	/**
	 * The observer of the handler calls of a source's pipeline.
	 * @param source the name of the source
	 * @param groupId its group id, or {@code null}
	 * @return the observer
	 */
	HandlerObserver observerFor(String source, @Nullable String groupId);

}
