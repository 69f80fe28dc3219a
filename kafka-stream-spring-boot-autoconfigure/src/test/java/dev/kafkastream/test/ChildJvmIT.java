package dev.kafkastream.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ChildJvm} runs a main class of the test classpath, passes arguments, environment and system properties,
 * and can SIGKILL or SIGTERM it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChildJvmIT {

	@TempDir
	Path dir;

	@Test
	void runsMainClassWithArgumentsEnvironmentAndSystemProperties() throws IOException {
		try (ChildJvm child = ChildJvm.builder(PrintAndExit.class)
			.jvmArgs("-Xmx64m")
			.systemProperty("child.prop", "sys-ok")
			.env("CHILD_JVM_IT", "env-ok")
			.args("arg-ok", "3")
			.workingDir(this.dir)
			.logFile(this.dir.resolve("logs/print.log"))
			.start()) {
			assertThat(child.pid()).isPositive();
			assertThat(child.waitFor(Duration.ofSeconds(60))).isEqualTo(3);
			assertThat(child.isAlive()).isFalse();
			assertThat(child.logTail(5))
				.isEqualTo("args=arg-ok,3 env=env-ok prop=sys-ok cwd=" + this.dir.toRealPath());
		}
	}

	@Test
	void killSkipsShutdownHooksAndStopRunsThem() {
		ChildJvm killed = ChildJvm.builder(BlockForever.class).logFile(this.dir.resolve("killed.log")).start();
		await().atMost(Duration.ofSeconds(60)).until(() -> killed.logTail(1).equals("ready"));
		assertThat(killed.isAlive()).isTrue();
		assertThat(killed.exitCode()).isNull();
		assertThat(killed.kill()).isEqualTo(ChildJvm.SIGKILL_EXIT_CODE);
		assertThat(killed.isAlive()).isFalse();
		assertThat(killed.logTail(10)).doesNotContain("shutdown hook ran");

		ChildJvm stopped = ChildJvm.builder(BlockForever.class).logFile(this.dir.resolve("stopped.log")).start();
		await().atMost(Duration.ofSeconds(60)).until(() -> stopped.logTail(1).equals("ready"));
		assertThat(stopped.stop()).isEqualTo(ChildJvm.SIGTERM_EXIT_CODE);
		assertThat(stopped.logTail(10)).endsWith("ready\nshutdown hook ran");
	}

	@Test
	void childDiesWhenItsParentJvmIsKilled() {
		Path grandchildLog = this.dir.resolve("grandchild.log");
		ChildJvm parent = ChildJvm.builder(StartGrandchild.class)
			.args(grandchildLog.toString())
			.logFile(this.dir.resolve("parent.log"))
			.start();
		await().atMost(Duration.ofSeconds(60)).until(() -> parent.logTail(1).startsWith("grandchild "));
		long grandchildPid = Long.parseLong(parent.logTail(1).substring("grandchild ".length()));
		await().atMost(Duration.ofSeconds(60)).until(() -> ChildJvm.tail(grandchildLog, 1).equals("ready"));
		assertThat(ProcessHandle.of(grandchildPid).map(ProcessHandle::isAlive)).contains(true);

		parent.kill();

		await("grandchild " + grandchildPid + " gone").atMost(Duration.ofSeconds(30))
			.until(() -> ProcessHandle.of(grandchildPid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE);
	}

	@Test
	void tailReadsTheLastLines() throws IOException {
		Path file = this.dir.resolve("tail.txt");
		assertThat(ChildJvm.tail(file, 3)).isEmpty();
		String text = IntStream.range(0, 5000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
		Files.writeString(file, text + "\n");
		assertThat(ChildJvm.tail(file, 3)).isEqualTo("line 4997\nline 4998\nline 4999");
		assertThat(ChildJvm.tail(file, 0)).isEmpty();
		Files.writeString(file, "a\nb");
		assertThat(ChildJvm.tail(file, 1)).isEqualTo("b");
		assertThat(ChildJvm.tail(file, 10)).isEqualTo("a\nb");
	}

	@Test
	void runsAnExecutableJarWithItsManifestsMainClassAndClassPath() throws IOException {
		Path jar = executableJar(PrintAndExit.class);
		try (ChildJvm child = ChildJvm.executableJar(jar)
			.jvmArgs("-Xmx64m")
			.systemProperty("child.prop", "sys-ok")
			.env("CHILD_JVM_IT", "env-ok")
			.args("arg-ok", "4")
			.workingDir(this.dir)
			.logFile(this.dir.resolve("logs/jar.log"))
			.start()) {
			assertThat(child.waitFor(Duration.ofSeconds(60))).isEqualTo(4);
			assertThat(child.logTail(5))
				.isEqualTo("args=arg-ok,4 env=env-ok prop=sys-ok cwd=" + this.dir.toRealPath());
		}
	}

	@Test
	void classpathComesFromTheTestRuntime() {
		String classpath = ChildJvm.currentClasspath();
		assertThat(classpath).contains("kafka_2.13").contains("test-classes");
	}

	/** A jar with no classes whose manifest names the main class and the test classes as its class path. */
	private Path executableJar(Class<?> mainClass) throws IOException {
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
		manifest.getMainAttributes()
			.put(Attributes.Name.CLASS_PATH,
					mainClass.getProtectionDomain().getCodeSource().getLocation().toExternalForm());
		Path jar = this.dir.resolve("app.jar");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
			return jar;
		}
	}

	/** Prints what it received and exits with the code given as second argument. */
	public static final class PrintAndExit {

		public static void main(String[] args) {
			System.out.println("args=" + String.join(",", args) + " env=" + System.getenv("CHILD_JVM_IT") + " prop="
					+ System.getProperty("child.prop") + " cwd=" + Path.of("").toAbsolutePath());
			System.exit(Integer.parseInt(args[1]));
		}

	}

	/** Starts {@link BlockForever} as a child JVM logging to {@code args[0]}, prints its pid and blocks. */
	public static final class StartGrandchild {

		public static void main(String[] args) throws InterruptedException {
			ChildJvm grandchild = ChildJvm.builder(BlockForever.class).logFile(Path.of(args[0])).start();
			System.out.println("grandchild " + grandchild.pid());
			new CountDownLatch(1).await();
		}

	}

	/** Prints "ready" and blocks until killed; a shutdown hook prints "shutdown hook ran". */
	public static final class BlockForever {

		public static void main(String[] args) throws InterruptedException {
			Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
			System.out.println("ready");
			new CountDownLatch(1).await();
		}

	}

}
