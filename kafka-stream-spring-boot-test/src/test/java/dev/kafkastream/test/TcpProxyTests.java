package dev.kafkastream.test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TcpProxy}, with real sockets and an echo server as the target.
 */
class TcpProxyTests {

	private static final Duration QUIET_WINDOW = Duration.ofMillis(300);

	private final List<Socket> clients = new ArrayList<>();

	private EchoServer echo;

	private TcpProxy proxy;

	@BeforeEach
	void startEchoServerAndProxy() throws IOException {
		this.echo = new EchoServer();
		this.proxy = TcpProxy.start("127.0.0.1", this.echo.port());
	}

	@AfterEach
	void closeEverything() throws IOException {
		for (Socket client : this.clients) {
			client.close();
		}
		this.proxy.close();
		this.echo.close();
	}

	@Test
	void describesItsAddress() {
		assertThat(this.proxy.host()).isEqualTo("127.0.0.1");
		assertThat(this.proxy.port()).isPositive().isNotEqualTo(this.echo.port());
		assertThat(this.proxy.address()).isEqualTo("127.0.0.1:" + this.proxy.port());
		assertThat(this.proxy.isBlackholed()).isFalse();
	}

	@Test
	void forwardsBytesBothWaysInOrder() throws Exception {
		Socket client = connect();
		assertThat(roundTrip(client, "hello")).isEqualTo("hello");
		byte[] payload = payload(1024 * 1024);
		CompletableFuture<Void> sending = sendAsync(client, payload);
		assertThat(readExactly(client, payload.length)).isEqualTo(payload);
		sending.get();
	}

	@Test
	void blackholeHoldsEveryByteAndDeliversThemInOrderAfterRestore() throws Exception {
		Socket client = connect();
		roundTrip(client, "before");
		long receivedBefore = this.echo.bytesReceived();
		this.proxy.blackhole();
		assertThat(this.proxy.isBlackholed()).isTrue();
		byte[] payload = payload(512 * 1024);
		CompletableFuture<Void> sending = sendAsync(client, payload);
		await().alias("nothing is forwarded while blackholed")
			.during(QUIET_WINDOW)
			.atMost(QUIET_WINDOW.multipliedBy(3))
			.until(() -> this.echo.bytesReceived() == receivedBefore && client.getInputStream().available() == 0);
		assertThat(this.proxy.openConnections()).isEqualTo(1);
		this.proxy.restore();
		assertThat(this.proxy.isBlackholed()).isFalse();
		assertThat(readExactly(client, payload.length)).isEqualTo(payload);
		sending.get();
		assertThat(roundTrip(client, "after")).isEqualTo("after");
	}

	@Test
	void connectionOpenedWhileBlackholedIsConnectedOnRestore() throws Exception {
		this.proxy.blackhole();
		Socket client = connect();
		client.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
		await().alias("the target is not connected while blackholed")
			.during(QUIET_WINDOW)
			.atMost(QUIET_WINDOW.multipliedBy(3))
			.until(() -> this.echo.accepted() == 0 && this.proxy.openConnections() == 1);
		this.proxy.restore();
		assertThat(new String(readExactly(client, 4), StandardCharsets.UTF_8)).isEqualTo("held");
		assertThat(this.echo.accepted()).isEqualTo(1);
	}

	@Test
	void resetEndsOpenConnectionsAndNewConnectionsStillWork() throws Exception {
		Socket client = connect();
		roundTrip(client, "before");
		this.proxy.resetConnections();
		assertConnectionEnded(client);
		awaitOpenConnections(this.proxy, 0);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.echo.openConnections() == 0);
		assertThat(roundTrip(connect(), "after")).isEqualTo("after");
	}

	@Test
	void resetDuringBlackholeEndsHeldConnectionsAndTheProxyStaysBlackholed() throws Exception {
		Socket client = connect();
		roundTrip(client, "before");
		this.proxy.blackhole();
		client.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
		this.proxy.resetConnections();
		assertConnectionEnded(client);
		assertThat(this.proxy.isBlackholed()).isTrue();
		awaitOpenConnections(this.proxy, 0);
	}

	@Test
	void delayAddsTheLatencyInEachDirection() throws Exception {
		Socket client = connect();
		roundTrip(client, "warm-up");
		Duration latency = Duration.ofMillis(150);
		this.proxy.delay(latency);
		long started = System.nanoTime();
		assertThat(roundTrip(client, "slow")).isEqualTo("slow");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(latency.multipliedBy(2));
	}

	@Test
	void removingTheDelayReleasesDelayedChunksAtOnce() throws Exception {
		Socket client = connect();
		roundTrip(client, "warm-up");
		long receivedBefore = this.echo.bytesReceived();
		this.proxy.delay(Duration.ofHours(1));
		client.getOutputStream().write("late".getBytes(StandardCharsets.UTF_8));
		await().alias("nothing is forwarded before the delay has passed")
			.during(QUIET_WINDOW)
			.atMost(QUIET_WINDOW.multipliedBy(3))
			.until(() -> this.echo.bytesReceived() == receivedBefore);
		this.proxy.delay(Duration.ZERO);
		assertThat(new String(readExactly(client, 4), StandardCharsets.UTF_8)).isEqualTo("late");
		this.proxy.delay(Duration.ofHours(1));
		this.proxy.restore();
		assertThat(roundTrip(client, "restored")).isEqualTo("restored");
	}

	@Test
	void negativeDelayIsRejected() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> this.proxy.delay(Duration.ofMillis(-1)))
			.withMessageContaining("latency");
	}

	@Test
	void countsOpenConnections() throws Exception {
		Socket first = connect();
		Socket second = connect();
		Socket third = connect();
		for (Socket client : List.of(first, second, third)) {
			roundTrip(client, "ping");
		}
		assertThat(this.proxy.openConnections()).isEqualTo(3);
		first.close();
		awaitOpenConnections(this.proxy, 2);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.echo.openConnections() == 2);
	}

	@Test
	void targetClosingClosesTheClient() throws Exception {
		Socket client = connect();
		roundTrip(client, "ping");
		this.echo.closeConnections();
		assertConnectionEnded(client);
		awaitOpenConnections(this.proxy, 0);
	}

	@Test
	void unreachableTargetClosesTheClient() throws Exception {
		int closedPort;
		try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = unused.getLocalPort();
		}
		try (TcpProxy toNowhere = TcpProxy.start("127.0.0.1", closedPort)) {
			Socket client = track(new Socket(toNowhere.host(), toNowhere.port()));
			assertConnectionEnded(client);
			awaitOpenConnections(toNowhere, 0);
		}
	}

	@Test
	void closeStopsAcceptingClosesConnectionsAndStopsItsThreads() throws Exception {
		Socket client = connect();
		roundTrip(client, "ping");
		this.proxy.blackhole();
		Socket held = connect();
		awaitOpenConnections(this.proxy, 2);
		this.proxy.close();
		assertConnectionEnded(client);
		assertConnectionEnded(held);
		assertThat(this.proxy.openConnections()).isZero();
		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> track(new Socket(this.proxy.host(), this.proxy.port())));
		String threadMarker = "-" + this.proxy.port() + "-";
		// a pool thread that finished its last task may still be alive for an instant
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet()).map(Thread::getName)
				.noneMatch((name) -> name.startsWith("tcp-proxy-") && name.contains(threadMarker)));
	}

	private static void awaitOpenConnections(TcpProxy proxy, int expected) {
		await().atMost(Duration.ofSeconds(5)).until(proxy::openConnections, (count) -> count == expected);
	}

	private Socket connect() throws IOException {
		return track(new Socket(this.proxy.host(), this.proxy.port()));
	}

	private Socket track(Socket client) throws IOException {
		this.clients.add(client);
		client.setSoTimeout(10_000);
		return client;
	}

	private static String roundTrip(Socket client, String message) throws IOException {
		byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
		client.getOutputStream().write(bytes);
		return new String(readExactly(client, bytes.length), StandardCharsets.UTF_8);
	}

	private static byte[] readExactly(Socket client, int length) throws IOException {
		byte[] bytes = new byte[length];
		new DataInputStream(client.getInputStream()).readFully(bytes);
		return bytes;
	}

	private static CompletableFuture<Void> sendAsync(Socket client, byte[] payload) {
		return CompletableFuture.runAsync(() -> {
			try {
				client.getOutputStream().write(payload);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	private static byte[] payload(int length) {
		byte[] payload = new byte[length];
		for (int i = 0; i < length; i++) {
			payload[i] = (byte) (i * 31 + (i >> 8));
		}
		return payload;
	}

	private static void assertConnectionEnded(Socket client) {
		int read;
		try {
			read = client.getInputStream().read();
		}
		catch (SocketException ex) {
			return;
		}
		catch (IOException ex) {
			throw new AssertionError("Expected the connection to end, but reading failed with " + ex, ex);
		}
		assertThat(read).as("end of stream").isEqualTo(-1);
	}

	/**
	 * Echoes every byte back on the connection it came from, counting connections and bytes.
	 */
	private static final class EchoServer implements AutoCloseable {

		private final ServerSocket serverSocket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));

		private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

		private final AtomicInteger accepted = new AtomicInteger();

		private final AtomicLong bytesReceived = new AtomicLong();

		EchoServer() throws IOException {
			startDaemon(this::accept, "echo-accept");
		}

		int port() {
			return this.serverSocket.getLocalPort();
		}

		int accepted() {
			return this.accepted.get();
		}

		int openConnections() {
			return this.connections.size();
		}

		long bytesReceived() {
			return this.bytesReceived.get();
		}

		void closeConnections() throws IOException {
			for (Socket connection : List.copyOf(this.connections)) {
				connection.close();
			}
		}

		@Override
		public void close() throws IOException {
			this.serverSocket.close();
			closeConnections();
		}

		private void accept() {
			try {
				while (true) {
					Socket connection = this.serverSocket.accept();
					this.accepted.incrementAndGet();
					this.connections.add(connection);
					startDaemon(() -> echo(connection), "echo-" + this.accepted.get());
				}
			}
			catch (IOException ex) {
				// closed
			}
		}

		private void echo(Socket connection) {
			byte[] buffer = new byte[8192];
			try (connection) {
				InputStream in = connection.getInputStream();
				OutputStream out = connection.getOutputStream();
				int read;
				while ((read = in.read(buffer)) >= 0) {
					this.bytesReceived.addAndGet(read);
					out.write(buffer, 0, read);
				}
			}
			catch (IOException ex) {
				// connection ended
			}
			finally {
				this.connections.remove(connection);
			}
		}

		private static void startDaemon(Runnable task, String name) {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			thread.start();
		}

	}

}
