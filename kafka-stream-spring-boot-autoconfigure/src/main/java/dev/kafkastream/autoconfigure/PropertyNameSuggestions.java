package dev.kafkastream.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.ResolvableType;

/**
 * Finds the valid {@code kafka-stream} property closest to one that binds to nothing,
 * by walking {@link KafkaStreamProperties} the way the binder does: a map's key is any
 * element, a nested group's properties are its JavaBean properties.
 */
final class PropertyNameSuggestions {

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("kafka-stream");

	private PropertyNameSuggestions() {
	}

	/**
	 * The valid properties next to an unknown one: those of the group it is in.
	 * @param unknown the unknown property
	 * @return the valid names of its group, empty when the group is unknown too or not
	 * under {@code kafka-stream}
	 */
	static List<ConfigurationPropertyName> siblings(ConfigurationPropertyName unknown) {
		if (!PREFIX.isAncestorOf(unknown)) {
			return List.of();
		}
		ResolvableType type = ResolvableType.forClass(KafkaStreamProperties.class);
		ConfigurationPropertyName group = PREFIX;
		for (int i = PREFIX.getNumberOfElements(); i < unknown.getNumberOfElements() - 1; i++) {
			String element = unknown.getElement(i, ConfigurationPropertyName.Form.DASHED);
			if (Map.class.isAssignableFrom(type.toClass())) {
				type = type.asMap().getGeneric(1);
			}
			else {
				PropertyDescriptor property = property(type.toClass(), element);
				if (property == null) {
					return List.of();
				}
				type = ResolvableType.forMethodReturnType(property.getReadMethod());
			}
			group = group.append(element);
		}
		if (Map.class.isAssignableFrom(type.toClass()) || isValue(type.toClass())) {
			return List.of();
		}
		List<ConfigurationPropertyName> names = new ArrayList<>();
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type.toClass())) {
			if (property.getReadMethod() != null && !"class".equals(property.getName())) {
				names.add(group.append(dashed(property.getName())));
			}
		}
		return names;
	}

	/**
	 * The valid property closest to an unknown one.
	 * @param unknown the unknown property
	 * @return the closest valid property of its group, {@code null} when none is close
	 */
	static @Nullable ConfigurationPropertyName closest(ConfigurationPropertyName unknown) {
		String last = unknown.getLastElement(ConfigurationPropertyName.Form.DASHED);
		int tolerance = Math.max(2, last.length() / 3);
		return siblings(unknown).stream()
			.filter((candidate) -> distance(last,
					candidate.getLastElement(ConfigurationPropertyName.Form.DASHED)) <= tolerance)
			.min(Comparator.comparingInt(
					(candidate) -> distance(last, candidate.getLastElement(ConfigurationPropertyName.Form.DASHED))))
			.orElse(null);
	}

	private static @Nullable PropertyDescriptor property(Class<?> type, String dashedName) {
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() != null && dashed(property.getName()).equals(dashedName)) {
				return property;
			}
		}
		return null;
	}

	/**
	 * The dashed form of a JavaBean property name, as the binder matches it.
	 */
	private static String dashed(String propertyName) {
		StringBuilder dashed = new StringBuilder();
		for (char c : propertyName.toCharArray()) {
			if (Character.isUpperCase(c)) {
				dashed.append('-').append(Character.toLowerCase(c));
			}
			else {
				dashed.append(c);
			}
		}
		return dashed.toString();
	}

	private static boolean isValue(Class<?> type) {
		return type.isPrimitive() || type.isEnum() || type.getName().startsWith("java.");
	}

	/**
	 * The Levenshtein distance of two names, ignoring case.
	 */
	static int distance(String first, String second) {
		String a = first.toLowerCase(Locale.ROOT);
		String b = second.toLowerCase(Locale.ROOT);
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
