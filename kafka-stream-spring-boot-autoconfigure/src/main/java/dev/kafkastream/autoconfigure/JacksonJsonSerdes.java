package dev.kafkastream.autoconfigure;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ResolvableType;

/**
 * {@link JsonSerdes} of spring-kafka's Jackson serdes with the application's
 * {@link JsonMapper} and no type headers.
 * <p>
 * The serdes use a copy of the application's mapper, with the same configuration and
 * modules, tuned for a pipeline worker that reads and writes one small document per
 * record on its own thread: each thread keeps its Jackson buffers (instead of taking them
 * from and returning them to a shared queue for every document), and values are created
 * through {@link DirectCreators}.
 */
final class JacksonJsonSerdes implements JsonSerdes {

	private final JsonMapper jsonMapper;

	JacksonJsonSerdes(JsonMapper jsonMapper) {
		this.jsonMapper = forPipelines(jsonMapper);
	}

	@Override
	public Deserializer<?> deserializer(ResolvableType type) {
		return new JacksonJsonDeserializer<>(this.jsonMapper
			.constructType((type != ResolvableType.NONE) ? type.getType() : Object.class), this.jsonMapper, false);
	}

	@Override
	public Serializer<Object> serializer() {
		return new JacksonJsonSerializer<>(this.jsonMapper).noTypeInfo();
	}

	/**
	 * A copy of the application's mapper for the pipelines' threads.
	 * @param applicationMapper the application's mapper
	 * @return the copy
	 */
	static JsonMapper forPipelines(JsonMapper applicationMapper) {
		return new PipelineMapperBuilder(applicationMapper).addModule(new DirectCreators()).build();
	}

	/**
	 * Builds a copy of a mapper whose stream factory recycles buffers per thread.
	 */
	private static final class PipelineMapperBuilder extends JsonMapper.Builder {

		PipelineMapperBuilder(JsonMapper mapper) {
			super(new StateImpl(mapper.rebuild()));
			this._streamFactory = ((JsonFactory) this._streamFactory).rebuild()
				.recyclerPool(JsonRecyclerPools.threadLocalPool())
				.build();
		}

	}

}
