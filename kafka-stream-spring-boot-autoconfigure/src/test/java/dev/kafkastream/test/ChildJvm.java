package dev.kafkastream.test;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} class in a child JVM that uses the current test classpath, so that integration tests can
 * exercise real process boundaries: SIGKILL in the middle of work, graceful SIGTERM shutdown, restarts.
 *
 * <p>Typical use:
 * <pre>{@code
 * try (ChildJvm app = ChildJvm.builder("com.example.MyApp")
 *         .jvmArgs("-Xmx256m")
 *         .args("--server.port=0")
 *         .env("SOME_VAR", "x")
 *         .logFile(tempDir.resolve("app.log"))
 *         .start()) {
 *     await().until(() -> app.logTail(50).contains("Started"));
 *     app.kill();                      // SIGKILL, waits until the process is gone
 *     assertThat(app.exitCode()).hasValue(137);
 * }
 * }</pre>
 *
 * <p>The classpath is taken from the system property {@code surefire.test.class.path} when it is set (Surefire
 * and Failsafe set it; their own {@code java.class.path} may be a manifest-only booter jar), otherwise from
 * {@code java.class.path}. Very long classpaths are passed through a JVM {@code @argfile}.
 *
 * <p>Standard output and standard error of the child are both appended to the log file; stdin is
 * {@code /dev/null}. Unless disabled with {@link Builder#exitWithParent(boolean)}, the child is started through
 * {@link ParentWatchdogMain}, which halts the child within a few seconds after the parent JVM disappears, so no
 * orphan JVM survives a crashed or SIGKILLed test JVM. In addition every child still alive when the test JVM shuts
 * down normally is killed by a shutdown hook.
 */
public final class ChildJvm implements AutoCloseable {

	/** Exit code a JVM reports after SIGKILL (128 + 9). */
	public static final int SIGKILL_EXIT_CODE = 137;

	/** Exit code a JVM reports after SIGTERM handled by its shutdown hooks (128 + 15). */
	public static final int SIGTERM_EXIT_CODE = 143;

	private static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

	private static final int MAX_COMMAND_LINE_CLASSPATH = 100_000;

	private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			for (Process process : LIVE) {
				process.destroyForcibly();
			}
		}, "child-jvm-reaper"));
	}

	private final Process process;

	private final Path logFile;

	private final String mainClass;

	private ChildJvm(Process process, Path logFile, String mainClass) {
		this.process = process;
		this.logFile = logFile;
		this.mainClass = mainClass;
	}

	/**
	 * Starts building a child JVM for the given main class.
	 * @param mainClass fully qualified name of a class with a {@code public static void main(String[])}
	 * @return a new builder
	 */
	public static Builder builder(String mainClass) {
		return new Builder(mainClass);
	}

	/**
	 * Starts building a child JVM for the given main class.
	 * @param mainClass a class with a {@code public static void main(String[])}
	 * @return a new builder
	 */
	public static Builder builder(Class<?> mainClass) {
		return new Builder(mainClass.getName());
	}

	/**
	 * Starts building a child JVM that runs an executable jar ({@code java -jar}), as an application is deployed.
	 * The jar's manifest decides the class path and the main class, so {@link Builder#classpath(String)} and
	 * {@link Builder#exitWithParent(boolean)} do not apply: the child is not watched for its parent's end, but is
	 * still killed when the parent shuts down normally.
	 * @param jar the executable jar
	 * @return a new builder
	 */
	public static Builder executableJar(Path jar) {
		return new Builder(jar.toString(), jar);
	}

	/**
	 * The classpath of the current (test) JVM, as a child JVM should see it.
	 * @return {@code surefire.test.class.path} if set and non-blank, otherwise {@code java.class.path}
	 */
	public static String currentClasspath() {
		String surefire = System.getProperty("surefire.test.class.path");
		if (surefire != null && !surefire.isBlank()) {
			return surefire;
		}
		return System.getProperty("java.class.path");
	}

	/**
	 * The {@code java} executable of the running JVM.
	 * @return path to {@code $JAVA_HOME/bin/java}
	 */
	public static Path javaExecutable() {
		return Paths.get(System.getProperty("java.home"), "bin", "java");
	}

	/**
	 * The operating system process id of the child.
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Whether the child is still running.
	 * @return {@code true} while the process is alive
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Kills the child with SIGKILL ({@link Process#destroyForcibly()}) and waits until it is gone. No shutdown hooks
	 * run in the child. Does nothing if it already exited.
	 * @return the exit code (normally {@link #SIGKILL_EXIT_CODE} if it was still running)
	 */
	public int kill() {
		this.process.destroyForcibly();
		return awaitExit();
	}

	/**
	 * Stops the child gracefully with SIGTERM ({@link Process#destroy()}) and waits up to 30 seconds for it to exit;
	 * if it is still running after that it is killed with SIGKILL.
	 * @return the exit code (normally {@link #SIGTERM_EXIT_CODE} or 0)
	 */
	public int stop() {
		return stop(DEFAULT_STOP_TIMEOUT);
	}

	/**
	 * Stops the child gracefully with SIGTERM and waits up to {@code timeout}; if it is still running after that it
	 * is killed with SIGKILL.
	 * @param timeout how long to wait for a graceful exit
	 * @return the exit code
	 */
	public int stop(Duration timeout) {
		this.process.destroy();
		if (waitFor(timeout) == null) {
			return kill();
		}
		return awaitExit();
	}

	/**
	 * Freezes the child with SIGSTOP, as a long GC pause or a stopped VM would: it keeps its connections and
	 * resumes where it was with {@link #resume()}.
	 */
	public void suspend() {
		signal("STOP");
	}

	/**
	 * Lets a child frozen with {@link #suspend()} run on (SIGCONT).
	 */
	public void resume() {
		signal("CONT");
	}

	private void signal(String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).redirectErrorStream(true)
				.start();
			String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid() + " failed: " + output.trim());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot send SIG" + signal + " to " + this, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while sending SIG" + signal + " to " + this, ex);
		}
	}

	/**
	 * Waits for the child to exit by itself.
	 * @param timeout how long to wait
	 * @return the exit code, or {@code null} if it is still running after {@code timeout}
	 */
	public Integer waitFor(Duration timeout) {
		try {
			if (this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				LIVE.remove(this.process);
				return this.process.exitValue();
			}
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + this, ex);
		}
	}

	/**
	 * The exit code if the child has exited.
	 * @return the exit code, or {@code null} while it is running
	 */
	public Integer exitCode() {
		return this.process.isAlive() ? null : this.process.exitValue();
	}

	/**
	 * The last lines of the child's log file (stdout and stderr).
	 * @param lines maximum number of lines
	 * @return the lines joined with {@code \n}; empty if nothing was logged yet
	 */
	public String logTail(int lines) {
		return tail(this.logFile, lines);
	}

	/**
	 * The file the child's stdout and stderr are appended to.
	 * @return the log file
	 */
	public Path logFile() {
		return this.logFile;
	}

	/**
	 * The underlying process, for anything not covered here.
	 * @return the process
	 */
	public Process process() {
		return this.process;
	}

	/** Kills the child with SIGKILL if it is still running. */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
		LIVE.remove(this.process);
	}

	@Override
	public String toString() {
		return "ChildJvm[" + this.mainClass + ", pid=" + this.process.pid() + ", log=" + this.logFile + "]";
	}

	private int awaitExit() {
		try {
			int code = this.process.waitFor();
			LIVE.remove(this.process);
			return code;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + this, ex);
		}
	}

	/**
	 * The last {@code lines} lines of a text file, read from its end.
	 * @param file the file
	 * @param lines maximum number of lines
	 * @return the lines joined with {@code \n}; empty if the file does not exist
	 */
	public static String tail(Path file, int lines) {
		if (lines <= 0 || !Files.exists(file)) {
			return "";
		}
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
			long length = raf.length();
			long start = 0;
			long pos = length;
			int newlines = 0;
			byte[] chunk = new byte[8192];
			search: while (pos > 0) {
				int size = (int) Math.min(chunk.length, pos);
				long chunkStart = pos - size;
				raf.seek(chunkStart);
				raf.readFully(chunk, 0, size);
				for (int i = size - 1; i >= 0; i--) {
					long offset = chunkStart + i;
					// a newline terminating the very last line does not start a new line
					if (chunk[i] == '\n' && offset != length - 1 && ++newlines == lines) {
						start = offset + 1;
						break search;
					}
				}
				pos = chunkStart;
			}
			byte[] bytes = new byte[(int) (length - start)];
			raf.seek(start);
			raf.readFully(bytes);
			String text = new String(bytes, StandardCharsets.UTF_8);
			if (text.endsWith("\n")) {
				text = text.substring(0, text.length() - 1);
			}
			return text.replace("\r\n", "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
	}

	/**
	 * Builder of a {@link ChildJvm}. Obtain one with {@link ChildJvm#builder(String)}.
	 */
	public static final class Builder {

		private final String mainClass;

		private final Path jar;

		private final List<String> jvmArgs = new ArrayList<>();

		private final List<String> args = new ArrayList<>();

		private final Map<String, String> env = new LinkedHashMap<>();

		private String classpath;

		private Path workingDir;

		private Path logFile;

		private boolean appendLog = true;

		private boolean exitWithParent = true;

		private Builder(String mainClass) {
			this(mainClass, null);
		}

		private Builder(String mainClass, Path jar) {
			this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
			this.jar = jar;
		}

		/**
		 * Adds JVM options, e.g. {@code -Xmx256m} or {@code -Dfoo=bar}.
		 * @param jvmArgs the options
		 * @return this builder
		 */
		public Builder jvmArgs(String... jvmArgs) {
			this.jvmArgs.addAll(Arrays.asList(jvmArgs));
			return this;
		}

		/**
		 * Adds JVM options.
		 * @param jvmArgs the options
		 * @return this builder
		 */
		public Builder jvmArgs(List<String> jvmArgs) {
			this.jvmArgs.addAll(jvmArgs);
			return this;
		}

		/**
		 * Adds a system property ({@code -Dkey=value}).
		 * @param key the property name
		 * @param value the value
		 * @return this builder
		 */
		public Builder systemProperty(String key, String value) {
			this.jvmArgs.add("-D" + key + "=" + value);
			return this;
		}

		/**
		 * Adds program arguments passed to {@code main}.
		 * @param args the arguments
		 * @return this builder
		 */
		public Builder args(String... args) {
			this.args.addAll(Arrays.asList(args));
			return this;
		}

		/**
		 * Adds program arguments passed to {@code main}.
		 * @param args the arguments
		 * @return this builder
		 */
		public Builder args(List<String> args) {
			this.args.addAll(args);
			return this;
		}

		/**
		 * Sets an environment variable of the child (the parent's environment is inherited otherwise).
		 * @param name the variable
		 * @param value the value
		 * @return this builder
		 */
		public Builder env(String name, String value) {
			this.env.put(name, value);
			return this;
		}

		/**
		 * Sets environment variables of the child.
		 * @param env the variables
		 * @return this builder
		 */
		public Builder env(Map<String, String> env) {
			this.env.putAll(env);
			return this;
		}

		/**
		 * Overrides the classpath; defaults to {@link ChildJvm#currentClasspath()}.
		 * @param classpath the classpath, entries separated by {@link File#pathSeparator}
		 * @return this builder
		 */
		public Builder classpath(String classpath) {
			this.classpath = classpath;
			return this;
		}

		/**
		 * Sets the working directory; defaults to the parent's.
		 * @param workingDir the directory
		 * @return this builder
		 */
		public Builder workingDir(Path workingDir) {
			this.workingDir = workingDir;
			return this;
		}

		/**
		 * Sets the file stdout and stderr go to; defaults to a new temporary file.
		 * @param logFile the log file (parent directories are created)
		 * @return this builder
		 */
		public Builder logFile(Path logFile) {
			this.logFile = logFile;
			return this;
		}

		/**
		 * Whether to append to an existing log file (default) or truncate it.
		 * @param appendLog {@code true} to append
		 * @return this builder
		 */
		public Builder appendLog(boolean appendLog) {
			this.appendLog = appendLog;
			return this;
		}

		/**
		 * Whether the child halts itself when the parent JVM dies (default {@code true}). When enabled the child runs
		 * {@link ParentWatchdogMain}, which watches the parent process and then calls the real main class; disable it
		 * if the main class must be the JVM's entry point.
		 * @param exitWithParent {@code true} to enable the watchdog
		 * @return this builder
		 */
		public Builder exitWithParent(boolean exitWithParent) {
			this.exitWithParent = exitWithParent;
			return this;
		}

		/**
		 * The full command line that {@link #start()} would run.
		 * @return the command, starting with the {@code java} executable
		 */
		public List<String> command() {
			return command(null);
		}

		private List<String> command(Path argFileDir) {
			List<String> command = new ArrayList<>();
			command.add(javaExecutable().toString());
			command.addAll(this.jvmArgs);
			if (this.jar != null) {
				command.add("-jar");
				command.add(this.jar.toString());
				command.addAll(this.args);
				return command;
			}
			String cp = (this.classpath != null) ? this.classpath : currentClasspath();
			if (argFileDir != null && cp.length() > MAX_COMMAND_LINE_CLASSPATH) {
				command.add("@" + writeClasspathArgFile(argFileDir, cp));
			}
			else {
				command.add("-cp");
				command.add(cp);
			}
			if (this.exitWithParent) {
				command.add(ParentWatchdogMain.class.getName());
			}
			command.add(this.mainClass);
			command.addAll(this.args);
			return command;
		}

		/**
		 * Starts the child JVM.
		 * @return a handle on the running child
		 */
		public ChildJvm start() {
			try {
				Path log = this.logFile;
				if (log == null) {
					log = Files.createTempFile("child-jvm-", ".log");
				}
				else if (log.toAbsolutePath().getParent() != null) {
					Files.createDirectories(log.toAbsolutePath().getParent());
				}
				ProcessBuilder pb = new ProcessBuilder(command(log.toAbsolutePath().getParent()));
				if (this.workingDir != null) {
					pb.directory(this.workingDir.toFile());
				}
				pb.environment().putAll(this.env);
				pb.redirectErrorStream(true);
				pb.redirectOutput(this.appendLog ? ProcessBuilder.Redirect.appendTo(log.toFile())
						: ProcessBuilder.Redirect.to(log.toFile()));
				pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
				Process process = pb.start();
				LIVE.add(process);
				return new ChildJvm(process, log, this.mainClass);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot start child JVM for " + this.mainClass, ex);
			}
		}

		private static String writeClasspathArgFile(Path dir, String cp) {
			try {
				Path file = Files.createTempFile(dir, "classpath-", ".argfile");
				String quoted = cp.replace("\\", "\\\\").replace("\"", "\\\"");
				Files.writeString(file, "-cp \"" + quoted + "\"\n");
				return file.toString();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	/**
	 * Entry point used inside the child JVM: arranges for the child to halt as soon as its parent process (the
	 * test JVM) exits ({@link ProcessHandle#onExit()}, which polls non-child processes every few seconds), then
	 * runs the real main class given as first argument with the remaining arguments.
	 */
	public static final class ParentWatchdogMain {

		private ParentWatchdogMain() {
		}

		/**
		 * Starts the watchdog and delegates to the real main class.
		 * @param args the real main class followed by its arguments
		 * @throws Throwable whatever the real main throws
		 */
		public static void main(String[] args) throws Throwable {
			if (args.length == 0) {
				throw new IllegalArgumentException("Usage: ParentWatchdogMain <mainClass> [args...]");
			}
			ProcessHandle.current()
				.parent()
				.ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(SIGKILL_EXIT_CODE)));
			Class<?> main = Class.forName(args[0], false, Thread.currentThread().getContextClassLoader());
			String[] rest = Arrays.copyOfRange(args, 1, args.length);
			try {
				main.getMethod("main", String[].class).invoke(null, (Object) rest);
			}
			catch (java.lang.reflect.InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

	}

}
