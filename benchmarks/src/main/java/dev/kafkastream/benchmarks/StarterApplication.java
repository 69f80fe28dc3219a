package dev.kafkastream.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.kafkastream.test.ChildJvm;

/**
 * The starter contenders' application (module {@code benchmarks/starter-app}) as its users run it: the executable
 * jar on a plain {@code java -jar}, or, for the contenders with {@value #START}={@value #FAST}, the extracted jar with
 * the code Spring AOT generated ({@code -Dspring.aot.enabled=true}) and the CDS archive of a training run
 * ({@code -XX:SharedArchiveFile}), both made by the module's build.
 */
final class StarterApplication {

	/** The contender property that chooses how the application starts. */
	static final String START = "bench.start";

	/** {@link #START} for Spring AOT and the CDS archive. */
	static final String FAST = "fast";

	private static final String ARCHIVE = "application.jsa";

	private final Path jar;

	private final Path fastDirectory;

	private StarterApplication(Path jar, Path fastDirectory) {
		this.jar = jar;
		this.fastDirectory = fastDirectory;
	}

	/**
	 * The application the build made, from the system properties {@code benchmark.starter-jar} and
	 * {@code benchmark.starter-fast-directory} that the benchmarks module's build sets.
	 * @return the application
	 */
	static StarterApplication fromSystemProperties() {
		return new StarterApplication(Path.of(System.getProperty("benchmark.starter-jar", "")),
				Path.of(System.getProperty("benchmark.starter-fast-directory", "")));
	}

	/**
	 * A child JVM that runs the application as the contender says.
	 * @param contender a starter contender
	 * @return the builder, to which the harness adds its JVM arguments
	 */
	ChildJvm.Builder launcher(Contender contender) {
		if (!FAST.equals(contender.properties().get(START))) {
			return ChildJvm.executableJar(existing(this.jar));
		}
		Path archive = existing(this.fastDirectory.resolve(ARCHIVE));
		// -Xshare:on: a run that could not map the archive fails instead of being measured without it
		return ChildJvm.executableJar(existing(this.fastDirectory.resolve(this.jar.getFileName())))
			.jvmArgs("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Dspring.aot.enabled=true");
	}

	private static Path existing(Path file) {
		if (!Files.isRegularFile(file)) {
			throw new IllegalStateException(file + " does not exist: build the starter's application with "
					+ "./mvnw -Pbenchmarks -DskipTests verify (module benchmarks/starter-app)");
		}
		return file;
	}

}
