package dev.kafkastream.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Reads and writes the Actuator endpoints of a test application over HTTP.
 */
final class ActuatorHttp {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET());
	}

	Response post(String path, String body) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
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

	private Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.client.send(request.timeout(Duration.ofSeconds(30)).build(),
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

	}

}
