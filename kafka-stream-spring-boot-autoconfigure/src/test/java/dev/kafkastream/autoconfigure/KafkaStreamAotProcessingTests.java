package dev.kafkastream.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.handler.KafkaStreamHandlerBeanPostProcessor;
import dev.kafkastream.runtime.PipelineSpec;
import dev.kafkastream.sink.KafkaStreamSink;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.Compiled;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * An application with a {@link KafkaStreamHandler} processed ahead of time, as Spring
 * Boot's AOT processing does for {@code spring.aot.enabled=true} and native images: the
 * generated bean definitions are compiled and run in a fresh context, whose handlers are
 * found and bound to their pipeline.
 */
@CompileWithForkedClassLoader
class KafkaStreamAotProcessingTests {

	@Test
	void handlersAreFoundInAnAotProcessedContext() {
		TestGenerationContext generated = new TestGenerationContext();
		ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(context(), generated);
		generated.writeGeneratedContent();
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(UpperCaseHandler.class, "handle"))
			.accepts(generated.getRuntimeHints());
		TestCompiler.forSystem().with(generated).compile((compiled) -> {
			GenericApplicationContext context = new GenericApplicationContext();
			context.setEnvironment(environment());
			initializer(compiled, initializer).initialize(context);
			context.refresh();
			try {
				assertThat(context.getBean(KafkaStreamHandlerBeanPostProcessor.class).handlers())
					.singleElement()
					.satisfies((handler) -> assertThat(handler.describe()).isEqualTo("upperCaseHandler.handle"));
				assertThat(context.getBean("outSink")).isInstanceOf(KafkaStreamSink.class);
				PipelineSpec pipeline = context.getBean(KafkaStreamLifecycle.class)
					.getRuntime()
					.pipeline("in")
					.orElseThrow()
					.spec();
				List<Object> output = new ArrayList<>();
				assertThatCode(() -> pipeline.handler()
					.handle(new ConsumerRecord<>("in", 0, 0L, "k", "hello"), output::add)).doesNotThrowAnyException();
				assertThat(output).containsExactly("HELLO");
			}
			finally {
				context.close();
			}
		});
	}

	@SuppressWarnings("unchecked")
	private static ApplicationContextInitializer<GenericApplicationContext> initializer(Compiled compiled,
			ClassName initializer) {
		return compiled.getInstance(ApplicationContextInitializer.class, initializer.toString());
	}

	private static GenericApplicationContext context() {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.setEnvironment(environment());
		context.register(HandlerApplication.class);
		return context;
	}

	private static MockEnvironment environment() {
		return new MockEnvironment().withProperty("kafka-stream.auto-startup", "false")
			.withProperty("kafka-stream.bootstrap-servers", "localhost:9092")
			.withProperty("kafka-stream.sources.in.topics", "in")
			.withProperty("kafka-stream.sources.in.group-id", "g")
			.withProperty("kafka-stream.sinks.out.topic", "out");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
			KafkaAutoConfiguration.class })
	public static class HandlerApplication {

		@Bean
		public UpperCaseHandler upperCaseHandler() {
			return new UpperCaseHandler();
		}

	}

	public static class UpperCaseHandler {

		@KafkaStreamHandler(source = "in", sink = "out")
		public String handle(String value) {
			return value.toUpperCase();
		}

	}

}
