package dev.kafkastream.autoconfigure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * {@link BootKafkaSettings} from Spring Boot's {@link KafkaProperties} and
 * {@link KafkaConnectionDetails} beans, either of which may be missing.
 */
class SpringKafkaSettings implements BootKafkaSettings {

	private static final String PROPERTIES_DETAILS = "org.springframework.boot.kafka.autoconfigure.PropertiesKafkaConnectionDetails";

	private final ObjectProvider<KafkaProperties> properties;

	private final ObjectProvider<KafkaConnectionDetails> connectionDetails;

	private final Environment environment;

	SpringKafkaSettings(ObjectProvider<KafkaProperties> properties,
			ObjectProvider<KafkaConnectionDetails> connectionDetails, Environment environment) {
		this.properties = properties;
		this.connectionDetails = connectionDetails;
		this.environment = environment;
	}

	@Override
	public Map<String, Object> properties(ClientKind kind) {
		KafkaProperties properties = this.properties.getIfAvailable();
		if (properties == null) {
			return Map.of();
		}
		Map<String, Object> built = switch (kind) {
			case CONSUMER -> properties.buildConsumerProperties();
			case PRODUCER -> properties.buildProducerProperties();
			case ADMIN -> properties.buildAdminProperties();
		};
		Map<String, Object> result = new HashMap<>();
		built.forEach((key, value) -> {
			if (!kind.owns(key)) {
				result.put(key, value);
			}
		});
		return result;
	}

	@Override
	public Map<String, Object> connectionSecurity(ClientKind kind) {
		KafkaConnectionDetails details = this.connectionDetails.getIfAvailable();
		if (details == null) {
			return Map.of();
		}
		KafkaConnectionDetails.Configuration configuration = switch (kind) {
			case CONSUMER -> details.getConsumer();
			case PRODUCER -> details.getProducer();
			case ADMIN -> details.getAdmin();
		};
		Map<String, Object> result = new HashMap<>();
		if (StringUtils.hasLength(configuration.getSecurityProtocol())) {
			result.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, configuration.getSecurityProtocol());
		}
		SslBundle bundle = configuration.getSslBundle();
		if (bundle != null) {
			result.putAll(sslBundleProperties(bundle));
		}
		return result;
	}

	@Override
	public String connectionDetailsOrigin() {
		KafkaConnectionDetails details = this.connectionDetails.getIfAvailable();
		return (details == null || isPropertiesBacked(details)) ? "spring.kafka.*"
				: "KafkaConnectionDetails " + details.getClass().getName();
	}

	@Override
	public @Nullable List<String> overridingBootstrapServers() {
		KafkaConnectionDetails details = this.connectionDetails.getIfAvailable();
		return (details == null || isPropertiesBacked(details)) ? null : details.getBootstrapServers();
	}

	@Override
	public List<String> bootstrapServers() {
		KafkaProperties properties = this.properties.getIfAvailable();
		if (properties == null || !this.environment.containsProperty("spring.kafka.bootstrap-servers")) {
			return List.of();
		}
		return properties.getBootstrapServers();
	}

	@Override
	public Map<String, Object> sslBundleProperties(SslBundle bundle) {
		return Map.of(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class,
				SslBundle.class.getName(), bundle);
	}

	@Override
	public boolean jaasEnabled() {
		KafkaProperties properties = this.properties.getIfAvailable();
		return properties != null && properties.getJaas().isEnabled();
	}

	private static boolean isPropertiesBacked(KafkaConnectionDetails details) {
		return details.getClass().getName().equals(PROPERTIES_DETAILS);
	}

}
