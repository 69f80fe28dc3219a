package dev.kafkastream.devbroker;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The topics the application's configuration names, read from the {@link Environment} by
 * property name: every source's {@code kafka-stream.sources.<name>.topics}, the
 * dead-letter topic of every source that dead-letters ({@code dead-letter-topic}, else
 * {@code <topic>.DLT}) and every sink's {@code kafka-stream.sinks.<name>.topic}. Sources
 * with a {@code topic-pattern} name no topic.
 */
final class ConfiguredTopics {

	private static final String DEAD_LETTER = "deadletter";

	private ConfiguredTopics() {
	}

	static Set<String> of(Environment environment) {
		Binder binder = Binder.get(environment);
		Set<String> topics = new LinkedHashSet<>();
		binder.bind("kafka-stream.sources", Bindable.mapOf(String.class, Source.class))
			.orElse(Map.of())
			.values()
			.forEach((source) -> source.addTopicsTo(topics));
		binder.bind("kafka-stream.sinks", Bindable.mapOf(String.class, Sink.class))
			.orElse(Map.of())
			.values()
			.stream()
			.map(Sink::topic)
			.filter(StringUtils::hasText)
			.forEach((topic) -> topics.add(topic.trim()));
		return topics;
	}

	record Source(@Nullable List<String> topics, @Nullable String onDeserializationError,
			@Nullable String onHandlerError, @Nullable String deadLetterTopic) {

		void addTopicsTo(Set<String> names) {
			List<String> subscribed = (this.topics != null)
					? this.topics.stream().filter(StringUtils::hasText).map(String::trim).toList() : List.of();
			names.addAll(subscribed);
			if (deadLetters()) {
				if (StringUtils.hasText(this.deadLetterTopic)) {
					names.add(this.deadLetterTopic.trim());
				}
				else {
					subscribed.forEach((topic) -> names.add(topic + ".DLT"));
				}
			}
		}

		private boolean deadLetters() {
			return isDeadLetter(this.onDeserializationError) || isDeadLetter(this.onHandlerError);
		}

		private static boolean isDeadLetter(@Nullable String policy) {
			return policy != null && policy.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT).equals(DEAD_LETTER);
		}

	}

	record Sink(@Nullable String topic) {

	}

}
