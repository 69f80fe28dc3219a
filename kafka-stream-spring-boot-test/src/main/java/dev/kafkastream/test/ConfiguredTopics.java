package dev.kafkastream.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The topic names an application's {@code kafka-stream.*} properties name, read by property name (this module does
 * not depend on the auto-configuration): the sources' {@code topics}, the topics of their explicit
 * {@code partitions}, their dead-letter topics where a policy is {@code dead-letter}, and the sinks' {@code topic}.
 */
final class ConfiguredTopics {

	private static final String DEAD_LETTER_SUFFIX = ".DLT";

	private ConfiguredTopics() {
	}

	/**
	 * The topics named in the environment's {@code kafka-stream.sources} and {@code kafka-stream.sinks}.
	 * @param environment the application's environment
	 * @return the topic names
	 */
	static Set<String> of(Environment environment) {
		Binder binder = Binder.get(environment);
		Set<String> topics = new LinkedHashSet<>();
		binder.bind("kafka-stream.sources", Bindable.mapOf(String.class, SourceTopics.class))
			.ifBound((sources) -> sources.values().forEach((source) -> topics.addAll(source.topicNames())));
		binder.bind("kafka-stream.sinks", Bindable.mapOf(String.class, SinkTopic.class))
			.ifBound((sinks) -> sinks.values().stream()
				.map(SinkTopic::getTopic)
				.filter((topic) -> topic != null && !topic.isBlank())
				.forEach(topics::add));
		return topics;
	}

	/** The topic properties of one {@code kafka-stream.sources.<name>} entry. */
	static class SourceTopics {

		private List<String> topics = new ArrayList<>();

		private Map<String, List<Integer>> partitions = new LinkedHashMap<>();

		private String deadLetterTopic;

		private String onHandlerError;

		private String onDeserializationError;

		List<String> topicNames() {
			List<String> names = new ArrayList<>(this.topics);
			names.addAll(this.partitions.keySet());
			if (isDeadLetter(this.onHandlerError) || isDeadLetter(this.onDeserializationError)) {
				if (this.deadLetterTopic != null && !this.deadLetterTopic.isBlank()) {
					names.add(this.deadLetterTopic);
				}
				else {
					List.copyOf(names).forEach((topic) -> names.add(topic + DEAD_LETTER_SUFFIX));
				}
			}
			return names;
		}

		private static boolean isDeadLetter(String policy) {
			return policy != null && policy.replace('-', '_').toUpperCase(Locale.ROOT).equals("DEAD_LETTER");
		}

		public List<String> getTopics() {
			return this.topics;
		}

		public void setTopics(List<String> topics) {
			this.topics = topics;
		}

		public Map<String, List<Integer>> getPartitions() {
			return this.partitions;
		}

		public void setPartitions(Map<String, List<Integer>> partitions) {
			this.partitions = partitions;
		}

		public String getDeadLetterTopic() {
			return this.deadLetterTopic;
		}

		public void setDeadLetterTopic(String deadLetterTopic) {
			this.deadLetterTopic = deadLetterTopic;
		}

		public String getOnHandlerError() {
			return this.onHandlerError;
		}

		public void setOnHandlerError(String onHandlerError) {
			this.onHandlerError = onHandlerError;
		}

		public String getOnDeserializationError() {
			return this.onDeserializationError;
		}

		public void setOnDeserializationError(String onDeserializationError) {
			this.onDeserializationError = onDeserializationError;
		}

	}

	/** The topic property of one {@code kafka-stream.sinks.<name>} entry. */
	static class SinkTopic {

		private String topic;

		public String getTopic() {
			return this.topic;
		}

		public void setTopic(String topic) {
			this.topic = topic;
		}

	}

}
