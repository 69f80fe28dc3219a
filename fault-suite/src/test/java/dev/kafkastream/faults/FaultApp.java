package dev.kafkastream.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.kafkastream.faults.app.FaultTestApplication;
import dev.kafkastream.test.ChildJvm;

/**
 * One instance of the {@link FaultTestApplication} in a child JVM, which a scenario
 * starts, kills, stops, freezes and starts again. Every start of it runs with the same
 * instance id and arguments, and logs to its own file.
 */
final class FaultApp implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String instanceId;

	private final List<String> arguments;

	private final Path logs;

	private final int httpPort;

	private int starts;

	private ChildJvm jvm;

	FaultApp(String instanceId, List<String> arguments, Path logs, boolean web) {
		this.instanceId = instanceId;
		this.logs = logs;
		this.httpPort = web ? freePort() : -1;
		List<String> all = new ArrayList<>(arguments);
		all.add("--kafka-stream.instance-id=" + instanceId);
		if (web) {
			all.add("--spring.main.web-application-type=servlet");
			all.add("--server.port=" + this.httpPort);
		}
		this.arguments = List.copyOf(all);
	}

	String instanceId() {
		return this.instanceId;
	}

	synchronized FaultApp start() {
		if (this.jvm != null && this.jvm.isAlive()) {
			throw new IllegalStateException(this.instanceId + " is running");
		}
		this.starts++;
		this.jvm = ChildJvm.builder(FaultTestApplication.class)
			.jvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto")
			.args(this.arguments)
			.logFile(this.logs.resolve(this.instanceId + "-" + this.starts + ".log"))
			// a run of the suite reads no log of an earlier run in the same target directory
			.appendLog(false)
			.start();
		return this;
	}

	/**
	 * Kills it with SIGKILL: no shutdown hook, no final checkpoint.
	 */
	synchronized void kill() {
		this.jvm.kill();
	}

	/**
	 * Stops it with SIGTERM: the pipelines take their final checkpoint.
	 * @return the exit code
	 */
	synchronized int terminate() {
		return this.jvm.stop(Duration.ofSeconds(60));
	}

	/**
	 * Freezes it with SIGSTOP.
	 */
	synchronized void freeze() {
		this.jvm.suspend();
	}

	/**
	 * Lets it run on with SIGCONT.
	 */
	synchronized void thaw() {
		this.jvm.resume();
	}

	synchronized boolean isAlive() {
		return this.jvm != null && this.jvm.isAlive();
	}

	synchronized String logTail() {
		return (this.jvm != null) ? this.jvm.logTail(60) : "";
	}

	/**
	 * The whole log of one start.
	 * @param start which start, from 1
	 * @return the log's text
	 */
	String log(int start) {
		try {
			return Files.readString(this.logs.resolve(this.instanceId + "-" + start + ".log"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The whole log of its latest start.
	 * @return the log, empty before the first start
	 */
	synchronized String log() {
		return (this.starts > 0) ? log(this.starts) : "";
	}

	/**
	 * Reads an Actuator endpoint of a web instance.
	 * @param path the path, e.g. {@code /actuator/kafkastream}
	 * @return the body, or {@code null} when it does not answer
	 */
	String actuator(String path) {
		if (this.httpPort < 0) {
			throw new IllegalStateException(this.instanceId + " runs without a web server");
		}
		try {
			HttpResponse<String> response = HTTP.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? response.body() : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	@Override
	public synchronized void close() {
		if (this.jvm != null) {
			this.jvm.close();
		}
	}

	@Override
	public String toString() {
		return "FaultApp[" + this.instanceId + ", start #" + this.starts + "]";
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
