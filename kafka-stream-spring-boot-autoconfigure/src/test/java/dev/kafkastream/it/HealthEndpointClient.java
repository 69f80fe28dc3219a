package dev.kafkastream.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Reads {@code /actuator/health} and its groups of a test application over HTTP.
 */
final class HealthEndpointClient {

	/**
	 * Arguments that run a test application as a web application on a random port, with
	 * the health endpoint showing details and the kafka-stream probe contributors in the
	 * {@code readiness} and {@code liveness} groups, as {@code docs/health.md} says.
	 */
	static final List<String> WEB_HEALTH_ARGUMENTS = List.of("--spring.main.web-application-type=servlet",
			"--server.port=0", "--management.endpoints.web.exposure.include=health",
			"--management.endpoint.health.show-details=always",
			"--management.endpoint.health.group.readiness.include=readinessState,kafkaStreamReadiness",
			"--management.endpoint.health.group.readiness.show-details=always",
			"--management.endpoint.health.group.liveness.include=livenessState,kafkaStreamLiveness",
			"--management.endpoint.health.group.liveness.show-details=always");

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String baseUrl;

	HealthEndpointClient(ConfigurableApplicationContext context) {
		this.baseUrl = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
	}

	/**
	 * Reads a health path.
	 * @param path {@code /actuator/health}, {@code /actuator/health/readiness} or
	 * {@code /actuator/health/liveness}
	 * @return the response
	 */
	Response get(String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(5))
			.GET()
			.build();
		try {
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A response of the health endpoint.
	 *
	 * @param statusCode the HTTP status code
	 * @param body the JSON body
	 */
	record Response(int statusCode, String body) {

		/**
		 * Reads a value of the body.
		 * @param <T> its type
		 * @param jsonPath the path, e.g. {@code $.components.kafkaStream.status}
		 * @return the value
		 */
		<T> T read(String jsonPath) {
			return JsonPath.read(this.body, jsonPath);
		}

		@Override
		public String toString() {
			return this.statusCode + " " + this.body;
		}

	}

}
