package dev.kafkastream.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kafkastream.test.secure.SecureListener;
import dev.kafkastream.test.secure.SecuredKafkaBroker;
import dev.kafkastream.test.secure.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A secured run ({@code SASL_SSL}, SCRAM credentials for the sink, a raw JAAS
 * configuration for the source, a PKCS12 SSL bundle with key and trust store passwords)
 * with every Actuator endpoint that could show them exposed and told to show values:
 * neither the log nor any Actuator response holds one of the secrets.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class SecuredPipelineSecretsIT {

	private static final Pattern LINK = Pattern.compile("\"href\":\"(http[^\"{]+)\"");

	private final SecuredKafkaBroker kafka = SecuredKafkaBroker.shared();

	@Test
	void noSecretInTheLogOrAnyActuatorResponse(CapturedOutput output) throws Exception {
		TestCertificates certificates = this.kafka.certificates();
		String password = this.kafka.scramUser().password();
		String jaasConfig = SecuredKafkaBroker.scramJaasConfig(this.kafka.scramUser().username(), password);
		SecuredPipeline pipeline = SecuredPipeline.prepare(this.kafka, "secrets");
		Map<String, String> responses = new LinkedHashMap<>();
		try (ConfigurableApplicationContext context = pipeline.arguments(SecureListener.SASL_SSL)
			.with(SecuredPipeline.arguments(certificates.jksSslBundleProperties("client", certificates.client()),
					"--kafka-stream.security.protocol=SASL_SSL", "--kafka-stream.security.ssl.bundle=client",
					"--kafka-stream.security.sasl.mechanism=SCRAM-SHA-512",
					"--kafka-stream.sinks.out.security.sasl.username=" + this.kafka.scramUser().username(),
					"--kafka-stream.sinks.out.security.sasl.password=" + password,
					"--kafka-stream.sources.in.security.sasl.jaas-config=" + jaasConfig))
			.with("--spring.main.web-application-type=servlet", "--server.port=0", "--server.address=127.0.0.1",
					"--management.endpoints.web.exposure.include=kafkastream,health,configprops,env",
					"--management.endpoint.health.show-details=always",
					"--management.endpoint.configprops.show-values=always",
					"--management.endpoint.env.show-values=always")
			.run(PassThroughApplication.class)) {
			pipeline.assertExactlyOnce(context);
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			readActuator("http://127.0.0.1:" + port + "/actuator", responses);
		}
		assertThat(responses).containsKeys("/actuator/kafkastream", "/actuator/health", "/actuator/configprops",
				"/actuator/env", "/actuator/env/kafka-stream.sinks.out.security.sasl.password");
		assertThat(responses.get("/actuator/configprops")).contains("\"mechanism\":\"SCRAM-SHA-512\"");
		assertThat(responses.get("/actuator/env/kafka-stream.sinks.out.security.sasl.password"))
			.contains("\"value\":\"******\"");
		List<String> secrets = List.of(password, jaasConfig, certificates.client().keyStore().password(),
				certificates.trustStore().password());
		responses.forEach((path, body) -> assertThat(body).as(path).doesNotContain(secrets));
		assertThat(output.getAll()).doesNotContain(secrets);
	}

	/**
	 * Reads the Actuator root, every endpoint it links to, and the {@code env} entry of
	 * each secret property.
	 */
	private static void readActuator(String root, Map<String, String> responses) throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		String links = get(http, root);
		responses.put("/actuator", links);
		List<String> endpoints = new ArrayList<>();
		Matcher link = LINK.matcher(links);
		while (link.find()) {
			endpoints.add(link.group(1));
		}
		endpoints.add(root + "/env/kafka-stream.sinks.out.security.sasl.password");
		endpoints.add(root + "/env/kafka-stream.sources.in.security.sasl.jaas-config");
		endpoints.add(root + "/env/spring.ssl.bundle.jks.client.keystore.password");
		for (String endpoint : endpoints) {
			responses.put(URI.create(endpoint).getPath(), get(http, endpoint));
		}
	}

	private static String get(HttpClient http, String uri) throws Exception {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s: %s", uri, response.body()).isEqualTo(200);
		return response.body();
	}

}
