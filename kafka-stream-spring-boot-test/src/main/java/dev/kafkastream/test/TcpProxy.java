package dev.kafkastream.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on {@code 127.0.0.1} that forwards every connection it accepts to a target address, and that a test
 * can switch into network faults while clients talk through it: a partition ({@link #blackhole()}), added
 * latency ({@link #delay(Duration)}) and connection resets ({@link #resetConnections()}).
 *
 * <p>A partition behaves like a real network's, not like a broken stream: no byte is ever dropped. While the proxy
 * is blackholed, each direction of each connection holds the chunk it has read and reads no more, so TCP flow
 * control holds the rest of the data in the peers' socket buffers, as a partitioned network holds segments for
 * retransmission. Connections stay open, and connections accepted meanwhile are not connected to the target. After
 * {@link #restore()} every held byte is delivered, in order.
 *
 * <p>To put a Kafka client's connections through the proxy, the broker must advertise the proxy's
 * {@link #address()} as its listener: a client only bootstraps through the address it is given and then connects to
 * the addresses the broker advertises.
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start("127.0.0.1", brokerPort)) {
 *     ... clients use proxy.address() ...
 *     proxy.blackhole();     // the network is cut; nothing is lost
 *     proxy.restore();       // held bytes flow again, in order
 *     proxy.resetConnections();
 * }
 * }</pre>
 *
 * <p>Thread-safe: faults may be switched from any thread while data flows. The proxy uses plain blocking sockets
 * ({@code TCP_NODELAY}, 64 KiB buffers) and daemon threads of its own pool, one that accepts and two per connection,
 * which {@link #close()} stops.
 */
public final class TcpProxy implements AutoCloseable {

	private static final String HOST = "127.0.0.1";

	private static final int BUFFER_SIZE = 64 * 1024;

	private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

	private static final AtomicInteger instances = new AtomicInteger();

	private final InetSocketAddress target;

	private final ServerSocket serverSocket;

	private final ExecutorService threads;

	private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition faultChanged = this.lock.newCondition();

	private volatile boolean blackholed;

	private volatile long delayNanos;

	private volatile boolean closed;

	private TcpProxy(String targetHost, int targetPort) throws IOException {
		this.target = InetSocketAddress.createUnresolved(targetHost, targetPort);
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getByName(HOST));
		this.threads = Executors.newCachedThreadPool(daemonThreads("tcp-proxy-" + instances.incrementAndGet() + "-"
				+ this.serverSocket.getLocalPort() + "-"));
		this.threads.execute(this::acceptConnections);
	}

	/**
	 * Starts a proxy listening on an ephemeral port of {@code 127.0.0.1} that forwards each accepted connection to
	 * {@code targetHost:targetPort}. The target need not be listening yet: each connection connects to it when it is
	 * accepted (and the proxy is not blackholed), and is closed if that fails.
	 * @param targetHost the host to forward to
	 * @param targetPort the port to forward to
	 * @return the started proxy, to be {@link #close() closed} by the caller
	 * @throws UncheckedIOException if the proxy cannot listen
	 */
	public static TcpProxy start(String targetHost, int targetPort) {
		try {
			return new TcpProxy(targetHost, targetPort);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start a TCP proxy to " + targetHost + ":" + targetPort, ex);
		}
	}

	/**
	 * The host the proxy listens on.
	 * @return {@code 127.0.0.1}
	 */
	public String host() {
		return HOST;
	}

	/**
	 * The port the proxy listens on.
	 * @return the ephemeral listening port
	 */
	public int port() {
		return this.serverSocket.getLocalPort();
	}

	/**
	 * The address clients connect to.
	 * @return {@code host() + ":" + port()}, e.g. {@code 127.0.0.1:41234}
	 */
	public String address() {
		return host() + ":" + port();
	}

	/**
	 * Cuts the network: stops forwarding in both directions of every connection, without dropping a byte.
	 * Connections stay open; a direction that has read a chunk holds it and reads no more, and new connections are
	 * accepted but not connected to the target, until {@link #restore()}.
	 */
	public void blackhole() {
		this.blackholed = true;
		signalFaultChanged();
	}

	/**
	 * Heals the network: forwarding resumes, every held byte is delivered in order, and connections accepted while
	 * blackholed connect to the target. Also removes any {@link #delay(Duration) delay}.
	 */
	public void restore() {
		this.delayNanos = 0;
		this.blackholed = false;
		signalFaultChanged();
	}

	/**
	 * Adds latency to the network: every chunk read from either side is forwarded no earlier than {@code latency}
	 * after it was read (and a new connection connects to the target no earlier than {@code latency} after it was
	 * accepted), so a request-response round trip takes at least twice the latency longer.
	 * @param latency the added latency; {@link Duration#ZERO} removes it
	 * @throws IllegalArgumentException if the latency is negative
	 */
	public void delay(Duration latency) {
		if (latency.isNegative()) {
			throw new IllegalArgumentException("latency must not be negative, was " + latency);
		}
		this.delayNanos = latency.toNanos();
		signalFaultChanged();
	}

	/**
	 * Abruptly resets every connection open now: both the client and the target get a TCP RST (the sockets close with
	 * {@code SO_LINGER} 0). Bytes held by a {@link #blackhole() blackhole} on these connections are lost with them.
	 * The proxy keeps accepting new connections.
	 */
	public void resetConnections() {
		for (Connection connection : List.copyOf(this.connections)) {
			connection.reset();
		}
	}

	/**
	 * The number of connections currently open through the proxy, including those accepted while blackholed and not
	 * connected to the target yet.
	 * @return the number of open connections
	 */
	public int openConnections() {
		return this.connections.size();
	}

	/**
	 * Whether the proxy is {@link #blackhole() blackholed}.
	 * @return {@code true} between {@link #blackhole()} and {@link #restore()}
	 */
	public boolean isBlackholed() {
		return this.blackholed;
	}

	/**
	 * Stops listening, closes every connection and stops the proxy's threads. Bytes still held are discarded.
	 */
	@Override
	public void close() {
		this.closed = true;
		closeQuietly(this.serverSocket);
		for (Connection connection : List.copyOf(this.connections)) {
			connection.close();
		}
		signalFaultChanged();
		this.threads.shutdownNow();
		try {
			this.threads.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "TcpProxy[" + address() + " -> " + this.target.getHostString() + ":" + this.target.getPort()
				+ (this.blackholed ? ", blackholed" : "") + "]";
	}

	private void acceptConnections() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.serverSocket.accept();
			}
			catch (IOException ex) {
				if (this.serverSocket.isClosed()) {
					return;
				}
				continue;
			}
			Connection connection = new Connection(client);
			this.connections.add(connection);
			if (this.closed) {
				connection.close();
				return;
			}
			try {
				this.threads.execute(connection::connectAndForward);
			}
			catch (RejectedExecutionException ex) {
				connection.close();
				return;
			}
		}
	}

	/**
	 * Waits until data read at {@code readNanos} may be forwarded: the proxy is not blackholed and the delay has
	 * passed.
	 * @return {@code false} if the connection or the proxy closed meanwhile
	 */
	private boolean awaitForwarding(Connection connection, long readNanos) throws InterruptedException {
		this.lock.lock();
		try {
			while (!this.closed && !connection.isClosed()) {
				if (this.blackholed) {
					this.faultChanged.await();
					continue;
				}
				long remaining = readNanos + this.delayNanos - System.nanoTime();
				if (remaining <= 0) {
					return true;
				}
				this.faultChanged.awaitNanos(remaining);
			}
			return false;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void signalFaultChanged() {
		this.lock.lock();
		try {
			this.faultChanged.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// closing anyway
		}
	}

	/**
	 * One client connection and its connection to the target; closing either side closes both.
	 */
	private final class Connection {

		private final Socket client;

		private final Socket upstream = new Socket();

		private final AtomicBoolean closed = new AtomicBoolean();

		Connection(Socket client) {
			this.client = client;
		}

		void connectAndForward() {
			try {
				if (!awaitForwarding(this, System.nanoTime())) {
					return;
				}
				this.client.setTcpNoDelay(true);
				this.upstream.setTcpNoDelay(true);
				this.upstream.connect(new InetSocketAddress(TcpProxy.this.target.getHostString(),
						TcpProxy.this.target.getPort()), CONNECT_TIMEOUT_MILLIS);
				TcpProxy.this.threads.execute(() -> pump(this.upstream, this.client));
				pump(this.client, this.upstream);
			}
			catch (IOException | RuntimeException ex) {
				close();
			}
			catch (InterruptedException ex) {
				close();
				Thread.currentThread().interrupt();
			}
		}

		/**
		 * Forwards one direction until either side closes; a chunk read is held while the proxy is blackholed, and
		 * the end of the stream is passed on (by closing both sides) only once the bytes before it are.
		 */
		private void pump(Socket from, Socket to) {
			byte[] buffer = new byte[BUFFER_SIZE];
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				while (true) {
					int read = in.read(buffer);
					if (!awaitForwarding(this, System.nanoTime()) || read < 0) {
						break;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException | RuntimeException ex) {
				// the connection ended
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				close();
			}
		}

		boolean isClosed() {
			return this.closed.get();
		}

		void reset() {
			lingerZero(this.client);
			lingerZero(this.upstream);
			close();
		}

		private void lingerZero(Socket socket) {
			try {
				socket.setSoLinger(true, 0);
			}
			catch (IOException ex) {
				// already closed: nothing to reset
			}
		}

		void close() {
			if (this.closed.compareAndSet(false, true)) {
				closeQuietly(this.client);
				closeQuietly(this.upstream);
				TcpProxy.this.connections.remove(this);
				signalFaultChanged();
			}
		}

	}

}
