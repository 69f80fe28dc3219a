package dev.kafkastream.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import dev.kafkastream.handler.KafkaStreamHandlerBeanPostProcessor;
import dev.kafkastream.observation.HandlerObserverFactory;
import dev.kafkastream.runtime.KafkaClientListener;
import dev.kafkastream.runtime.KafkaClients;
import dev.kafkastream.runtime.KafkaStreamRuntime;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ExitCodeExceptionMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of kafka-stream: pipelines built from {@code kafka-stream.*}
 * properties and {@code @KafkaStreamHandler} methods, run by a
 * {@link KafkaStreamLifecycle}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
		"org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@ConditionalOnClass(KafkaConsumer.class)
@ConditionalOnBooleanProperty(name = "kafka-stream.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KafkaStreamProperties.class)
public final class KafkaStreamAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static KafkaStreamHandlerBeanPostProcessor kafkaStreamHandlerBeanPostProcessor() {
		return new KafkaStreamHandlerBeanPostProcessor();
	}

	@Bean
	static KafkaStreamHandlerLazyInitializationExcludeFilter kafkaStreamHandlerLazyInitializationExcludeFilter() {
		return new KafkaStreamHandlerLazyInitializationExcludeFilter();
	}

	@Bean
	@ConditionalOnMissingBean
	KafkaClients kafkaStreamClients() {
		return KafkaClients.standard();
	}

	@Bean
	@ConditionalOnMissingBean
	KafkaStreamConnectionDetails kafkaStreamConnectionDetails(KafkaStreamProperties properties,
			Environment environment, ObjectProvider<BootKafkaSettings> bootKafka) {
		return new PropertiesKafkaStreamConnectionDetails(properties, environment, bootKafka.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	KafkaStreamLifecycle kafkaStreamLifecycle(KafkaStreamProperties properties,
			KafkaStreamConnectionDetails connectionDetails, KafkaStreamHandlerBeanPostProcessor handlers,
			KafkaClients clients, ObjectProvider<KafkaClientListener> clientListeners,
			ObjectProvider<JsonSerdes> jsonSerdes, ObjectProvider<HandlerObserverFactory> handlerObservers,
			ObjectProvider<BootKafkaSettings> bootKafka, ObjectProvider<SslBundles> sslBundles, Environment environment,
			ConfigurableApplicationContext context, ObjectProvider<KafkaStreamProcessExit> processExit) {
		BeanOrClassResolver components = new BeanOrClassResolver(context.getBeanFactory());
		StartupChecks startupChecks = (properties.getValidateOnStartup() != StartupValidation.OFF)
				? new StartupChecks(properties, clients, instanceId(properties)) : null;
		KafkaStreamLifecycle lifecycle = new KafkaStreamLifecycle(() -> {
			KafkaClientConfigs clientConfigs = new KafkaClientConfigs(properties, bootKafka.getIfAvailable(),
					sslBundles.getIfAvailable(), connectionDetails.getBootstrapServers(),
					(connectionDetails instanceof PropertiesKafkaStreamConnectionDetails byProperties)
							? byProperties.origin() : "KafkaStreamConnectionDetails bean");
			PipelineAssembler assembler = new PipelineAssembler(properties, clientConfigs,
					instanceId(properties), environment.getProperty("spring.application.name"),
					new Serdes(jsonSerdes.getIfAvailable(), JsonSerdes.missingLibraries(context.getClassLoader())),
					new DeserializerResolver(components), components, listened(clients, clientListeners))
				.observers(handlerObservers.getIfAvailable());
			KafkaStreamRuntime runtime = assembler.assemble(handlers.handlers());
			KafkaStreamEventPublisher.publishEventsOf(runtime, context);
			new ApplicationExit(context, processExit.getIfAvailable(KafkaStreamProcessExit::system)).watch(runtime,
					properties);
			return runtime;
		}, properties.getShutdownTimeout(), properties.isAutoStartup(),
				startupChecks);
		return lifecycle;
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "kafka-stream.join-during-startup", matchIfMissing = true)
	EarlyPipelineStart kafkaStreamEarlyPipelineStart(KafkaStreamLifecycle lifecycle,
			KafkaStreamHandlerBeanPostProcessor handlers) {
		return new EarlyPipelineStart(lifecycle, handlers);
	}

	@Bean
	@ConditionalOnMissingBean
	KafkaStreamExitCodeGenerator kafkaStreamExitCodeGenerator(KafkaStreamLifecycle lifecycle,
			ObjectProvider<ExitCodeExceptionMapper> exitCodeExceptionMappers) {
		return new KafkaStreamExitCodeGenerator(lifecycle::getRuntime, exitCodeExceptionMappers.orderedStream().toList());
	}

	@Bean(KafkaStreamSinks.BEAN_NAME)
	KafkaStreamSinks kafkaStreamSinks(KafkaStreamLifecycle lifecycle, KafkaStreamProperties properties) {
		return new KafkaStreamSinks(lifecycle, properties.getSinks());
	}

	@Bean
	static KafkaStreamSinkBeansRegistrar kafkaStreamSinkBeansRegistrar(Environment environment) {
		return new KafkaStreamSinkBeansRegistrar(environment);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { JsonSerdes.JACKSON, JsonSerdes.SPRING_KAFKA })
	static class JsonConfiguration {

		@Bean
		JsonSerdes kafkaStreamJsonSerdes(ObjectProvider<JsonMapper> jsonMapper) {
			return new JacksonJsonSerdes(jsonMapper.getIfAvailable(JsonMapper::new));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails")
	static class BootKafkaConfiguration {

		@Bean
		BootKafkaSettings kafkaStreamBootKafkaSettings(ObjectProvider<KafkaProperties> properties,
				ObjectProvider<KafkaConnectionDetails> connectionDetails, Environment environment) {
			return new SpringKafkaSettings(properties, connectionDetails, environment);
		}

	}

	private static KafkaClients listened(KafkaClients clients, ObjectProvider<KafkaClientListener> listeners) {
		KafkaClients listened = clients;
		for (KafkaClientListener listener : listeners.orderedStream().toList()) {
			listened = listened.withListener(listener);
		}
		return listened;
	}

	private static String instanceId(KafkaStreamProperties properties) {
		if (StringUtils.hasText(properties.getInstanceId())) {
			return properties.getInstanceId();
		}
		String host = System.getenv("HOSTNAME");
		if (!StringUtils.hasText(host)) {
			try {
				host = InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException ex) {
				host = "localhost";
			}
		}
		return host.replaceAll("[^A-Za-z0-9._-]", "_");
	}

}
