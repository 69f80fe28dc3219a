package dev.kafkastream.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.stereotype.Component;

/**
 * Logs, once the application is ready, where to look: the Actuator and sample endpoints
 * and the Kafka cluster in use.
 */
@Component
class StartupReport implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(StartupReport.class);

	/**
	 * The bean of the development broker, when kafka-stream-spring-boot-dev-broker started
	 * one (named by string: the module is not in the packaged application).
	 */
	static final String DEVELOPMENT_BROKER = "kafkaStreamDevelopmentBroker";

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		ConfigurableEnvironment environment = event.getApplicationContext().getEnvironment();
		String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
		String contextPath = environment.getProperty("server.servlet.context-path", "");
		String base = "http://localhost:" + port + contextPath;
		String actuator = base + environment.getProperty("management.endpoints.web.base-path", "/actuator");
		String kafka = environment.getProperty("kafka-stream.bootstrap-servers",
				environment.getProperty("spring.kafka.bootstrap-servers", "localhost:9092"))
				+ (event.getApplicationContext().containsBean(DEVELOPMENT_BROKER)
						? " (development broker, stops with the app)" : "");
		logger.info("""

				==========================================================================
				  {} is running
				  Kafka bootstrap servers : {}
				  Health                  : {}/health
				  Pipelines, checkpoints  : {}/kafkastream
				  Enriched orders         : {}/orders/enriched?limit=10
				  Post an order           : curl -H 'Content-Type: application/json' -d \
				'{"customer":"alice","product":"laptop","quantity":2,"unitPrice":999.5}' {}/orders
				==========================================================================""",
				environment.getProperty("spring.application.name", "application"), kafka, actuator, actuator, base,
				base);
	}

}
