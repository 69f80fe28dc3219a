package dev.kafkastream.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ResolvableType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JacksonJsonSerdes}: the pipelines' copy of the application's mapper
 * reads and writes every kind of handler type as the application's mapper does.
 */
class JacksonJsonSerdesTests {

	private final JacksonJsonSerdes serdes = new JacksonJsonSerdes(JsonMapper.builder().build());

	@Test
	void readsAndWritesRecords() {
		Event event = new Event(7, "k-7", "payload");
		assertThat(roundTrip(ResolvableType.forClass(Event.class), event)).isEqualTo(event);
		assertThat(write(event)).isEqualTo("{\"id\":7,\"key\":\"k-7\",\"payload\":\"payload\"}");
	}

	@Test
	void readsAndWritesGenericTypes() {
		List<Event> events = List.of(new Event(1, "a", "x"), new Event(2, "b", "y"));
		assertThat(roundTrip(ResolvableType.forClassWithGenerics(List.class, Event.class), events)).isEqualTo(events);
		Map<String, Event> byKey = Map.of("a", new Event(1, "a", "x"));
		assertThat(roundTrip(ResolvableType.forClassWithGenerics(Map.class, String.class, Event.class), byKey))
			.isEqualTo(byKey);
		Wrapper<Event> wrapper = new Wrapper<>(new Event(3, "c", "z"));
		assertThat(roundTrip(ResolvableType.forClassWithGenerics(Wrapper.class, Event.class), wrapper))
			.isEqualTo(wrapper);
	}

	@Test
	void readsUntypedValuesAndTrees() {
		assertThat(read(ResolvableType.NONE, "{\"id\":1,\"tags\":[\"a\"]}"))
			.isEqualTo(Map.of("id", 1, "tags", List.of("a")));
		Object tree = read(ResolvableType.forClass(JsonNode.class), "{\"id\":1}");
		assertThat(tree).isInstanceOf(JsonNode.class);
		assertThat(((JsonNode) tree).get("id").asInt()).isEqualTo(1);
		assertThat(write(tree)).isEqualTo("{\"id\":1}");
	}

	@Test
	void readsValuesOfFactoryMethodsAndSetters() {
		assertThat(read(ResolvableType.forClass(Created.class), "{\"name\":\"n\"}"))
			.isEqualTo(Created.of("n"));
		Bean bean = (Bean) read(ResolvableType.forClass(Bean.class), "{\"name\":\"n\"}");
		assertThat(bean.getName()).isEqualTo("n");
	}

	@Test
	void keepsTheConfigurationOfTheApplicationsMapper() {
		JacksonJsonSerdes snakeCase = new JacksonJsonSerdes(
				JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build());
		byte[] json = snakeCase.serializer().serialize("t", new Named("Ada"));
		assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"first_name\":\"Ada\"}");
		assertThat(snakeCase.deserializer(ResolvableType.forClass(Named.class)).deserialize("t", new RecordHeaders(),
				json))
			.isEqualTo(new Named("Ada"));
	}

	@Test
	void reportsAFailingCreatorAsJacksonDoes() {
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> read(ResolvableType.forClass(Event.class), "{\"id\":-1,\"key\":\"k\",\"payload\":\"p\"}"))
			.havingCause()
			.isInstanceOf(ValueInstantiationException.class)
			.withMessageContaining("negative id")
			.satisfies((ex) -> assertThat(ex.getCause().getStackTrace())
				.anyMatch((frame) -> frame.getClassName().equals(DirectCreators.DirectCreatorInstantiator.class.getName())));
	}

	@Test
	void failsOnCorruptJson() {
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> read(ResolvableType.forClass(Event.class), "{\"id\":1,\"key\":"));
	}

	private Object roundTrip(ResolvableType type, Object value) {
		return read(type, write(value));
	}

	private String write(Object value) {
		return new String(this.serdes.serializer().serialize("t", new RecordHeaders(), value), StandardCharsets.UTF_8);
	}

	private Object read(ResolvableType type, String json) {
		Deserializer<?> deserializer = this.serdes.deserializer(type);
		return deserializer.deserialize("t", new RecordHeaders(), json.getBytes(StandardCharsets.UTF_8));
	}

	record Event(long id, String key, String payload) {

		Event {
			if (id < 0) {
				throw new IllegalArgumentException("negative id");
			}
		}

	}

	record Wrapper<T>(T content) {
	}

	record Named(String firstName) {
	}

	static final class Created {

		private final String name;

		private Created(String name) {
			this.name = name;
		}

		@JsonCreator
		static Created of(@JsonProperty("name") String name) {
			return new Created(name);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Created created && created.name.equals(this.name);
		}

		@Override
		public int hashCode() {
			return this.name.hashCode();
		}

	}

	static class Bean {

		private String name;

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

	}

}
