package dev.kafkastream.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the configuration reference, {@code docs/configuration.md}, and the
 * properties the starter binds agree: every bound property has a row, and every row names
 * a property that binds.
 * <p>
 * The bound properties are those of the configuration metadata the configuration
 * processor generates ({@code target/classes/META-INF/spring-configuration-metadata.json},
 * merged with {@code additional-spring-configuration-metadata.json}). The metadata format
 * stops at a map: {@code kafka-stream.sources} and {@code kafka-stream.sinks} are one
 * entry each, a map of names to {@link KafkaStreamProperties.Source} or
 * {@link KafkaStreamProperties.Sink}. For such a map of groups, the bound properties are
 * those the binder finds in the group under any name, walked as the failure analyzer of
 * unknown properties walks them ({@link PropertyNameSuggestions}), and written with
 * {@code <name>} for the key: {@code kafka-stream.sources.<name>.topics}. Nested groups in
 * it are walked to their leaves ({@code kafka-stream.sources.<name>.security.sasl.mechanism}).
 * <p>
 * The reference names properties in the first column of its tables, in backticks, with
 * these forms:
 * <ul>
 * <li>a property: {@code kafka-stream.checkpoint.interval};</li>
 * <li>a free-form map, by its keys: {@code kafka-stream.properties.*} or
 * {@code kafka-stream.sources.<name>.partitions.<topic>} name the map property
 * ({@code kafka-stream.properties}, {@code kafka-stream.sources.<name>.partitions});</li>
 * <li>a whole group, with {@code .*}: {@code kafka-stream.sources.<name>.security.*}
 * covers every property under it;</li>
 * <li>a sibling of the previous name, as {@code / .value-deserializer}.</li>
 * </ul>
 * A name ending in {@code .*} or in {@code .<key>} segments matches a bound property of
 * that name or any under it; other names match exactly.
 */
class ConfigurationReferenceTests {

	private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	private static final Path REFERENCE = Path.of("../docs/configuration.md");

	private static final Pattern MAP_OF_GROUPS = Pattern.compile("java\\.util\\.Map<java\\.lang\\.String,dev\\.kafkastream\\..+>");

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	@Test
	void everyBoundPropertyIsDocumented() throws IOException {
		List<DocumentedName> documented = documentedNames();
		Set<String> undocumented = new TreeSet<>();
		for (String bound : boundProperties()) {
			if (documented.stream().noneMatch((name) -> name.covers(bound))) {
				undocumented.add(bound);
			}
		}
		assertThat(undocumented).as("bound properties without a row in %s", REFERENCE).isEmpty();
	}

	@Test
	void everyDocumentedPropertyBinds() throws IOException {
		Set<String> bound = boundProperties();
		Set<String> unbound = new TreeSet<>();
		for (DocumentedName name : documentedNames()) {
			if (bound.stream().noneMatch(name::covers)) {
				unbound.add(name.written());
			}
		}
		assertThat(unbound).as("properties in %s that bind to nothing", REFERENCE).isEmpty();
	}

	@Test
	void everyHintNamesABoundProperty() throws IOException {
		Set<String> bound = boundProperties();
		List<String> hints = JsonPath.read(METADATA.toFile(), "$.hints[*].name");
		assertThat(hints).isNotEmpty()
			.allSatisfy((hint) -> assertThat(bound).contains(hint.replaceFirst("\\.(keys|values)$", "")));
	}

	private static Set<String> boundProperties() throws IOException {
		List<Map<String, Object>> properties = JsonPath.read(METADATA.toFile(), "$.properties[*]");
		Set<String> bound = new TreeSet<>();
		for (Map<String, Object> property : properties) {
			String name = (String) property.get("name");
			if (MAP_OF_GROUPS.matcher(String.valueOf(property.get("type"))).matches()) {
				// any key stands for <name>
				addLeaves(ConfigurationPropertyName.of(name).append("name"), name + ".<name>", bound);
			}
			else {
				bound.add(name);
			}
		}
		return bound;
	}

	/**
	 * Adds the properties of a group, and of the groups nested in it, to the bound ones.
	 * {@link PropertyNameSuggestions#siblings} lists the properties next to a child of the
	 * group; a property with no properties next to a child of its own is a leaf.
	 */
	private static void addLeaves(ConfigurationPropertyName group, String written, Set<String> bound) {
		for (ConfigurationPropertyName property : PropertyNameSuggestions.siblings(group.append("any"))) {
			String element = property.getLastElement(ConfigurationPropertyName.Form.DASHED);
			ConfigurationPropertyName nested = property.append("any");
			if (PropertyNameSuggestions.siblings(nested).isEmpty()) {
				bound.add(written + "." + element);
			}
			else {
				addLeaves(property, written + "." + element, bound);
			}
		}
	}

	private static List<DocumentedName> documentedNames() throws IOException {
		List<DocumentedName> names = new ArrayList<>();
		for (String line : Files.readAllLines(REFERENCE)) {
			if (!line.startsWith("| `")) {
				continue;
			}
			String firstCell = line.substring(1, line.indexOf(" |", 1));
			Matcher code = CODE.matcher(firstCell);
			String previous = null;
			while (code.find()) {
				String written = code.group(1);
				if (written.startsWith(".") && previous != null) {
					written = previous.substring(0, previous.lastIndexOf('.')) + written;
				}
				names.add(DocumentedName.of(written));
				previous = written;
			}
		}
		assertThat(names).as("property rows in %s", REFERENCE).isNotEmpty();
		return names;
	}

	/**
	 * A property name as the reference writes it.
	 *
	 * @param written the name as written
	 * @param property the property it names, without map keys or a trailing {@code .*}
	 * @param withDescendants whether it also covers the properties under it
	 */
	private record DocumentedName(String written, String property, boolean withDescendants) {

		private static final Pattern TRAILING_KEYS = Pattern.compile("(\\.(\\*|<[^>.]+>))+$");

		static DocumentedName of(String written) {
			Matcher keys = TRAILING_KEYS.matcher(written);
			if (keys.find()) {
				return new DocumentedName(written, written.substring(0, keys.start()), true);
			}
			return new DocumentedName(written, written, false);
		}

		boolean covers(String bound) {
			return bound.equals(this.property) || (this.withDescendants && bound.startsWith(this.property + "."));
		}

	}

}
