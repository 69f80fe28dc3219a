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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Reads and writes the Actuator endpoints of a test application over HTTP.
 */
final class ActuatorHttp {

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * Arguments that run a test application as a web application on a free port, with
	 * health details shown and the kafka-stream probe contributors in the
	 * {@code readiness} and {@code liveness} groups, as {@code docs/health.md} says; add
	 * {@code --management.endpoints.web.exposure.include}.
	 */
	static final List<String> WEB_ARGUMENTS = List.of("--spring.main.web-application-type=servlet",
			"--server.port=0", "--server.address=127.0.0.1", "--management.endpoint.health.show-details=always",
			"--management.endpoint.health.group.readiness.include=readinessState,kafkaStreamReadiness",
			"--management.endpoint.health.group.readiness.show-details=always",
			"--management.endpoint.health.group.liveness.include=livenessState,kafkaStreamLiveness",
			"--management.endpoint.health.group.liveness.show-details=always");

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final String base;

	private ActuatorHttp(String base) {
		this.base = base;
	}

	/**
	 * The Actuator of an application started with {@code --server.port=0}.
	 * @param context the application
	 * @return the client
	 */
	static ActuatorHttp of(ConfigurableApplicationContext context) {
		return new ActuatorHttp(
				"http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/actuator/");
	}

	Response get(String path) {
		return get(path, DEFAULT_TIMEOUT);
	}

	/**
	 * A GET that fails when no answer came within the timeout.
	 * @param path the path below {@code /actuator/}
	 * @param timeout how long to wait for the answer
	 * @return the response
	 */
	Response get(String path, Duration timeout) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET(), timeout);
	}

	Response post(String path, String body) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)), DEFAULT_TIMEOUT);
	}

	/**
	 * A GET that must answer 200.
	 * @param path the path below {@code /actuator/}
	 * @return the JSON body
	 */
	JsonNode read(String path) {
		Response response = get(path);
		if (response.status() != 200) {
			throw new IllegalStateException("GET " + path + " answered " + response.status() + ": " + response.body());
		}
		return response.json();
	}

	private Response send(HttpRequest.Builder request, Duration timeout) {
		try {
			HttpResponse<String> response = this.client.send(request.timeout(timeout).build(),
					HttpResponse.BodyHandlers.ofString());
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

	record Response(int status, String body) {

		JsonNode json() {
			return json.readTree(this.body);
		}

		/**
		 * Reads a value of the JSON body.
		 * @param <T> its type
		 * @param jsonPath the path, e.g. {@code $.components.kafkaStream.status}
		 * @return the value
		 */
		<T> T read(String jsonPath) {
			return JsonPath.read(this.body, jsonPath);
		}

		@Override
		public String toString() {
			return this.status + " " + this.body;
		}

	}

}
