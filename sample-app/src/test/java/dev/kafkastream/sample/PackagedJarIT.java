package dev.kafkastream.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inspects the jar the Spring Boot Maven plugin repackaged in the {@code package} phase:
 * the development broker, the Kafka server it runs and spring-kafka-test are left out,
 * while the starter and the Kafka clients are in.
 */
class PackagedJarIT {

	private static final List<String> DEVELOPMENT_ONLY = List.of("kafka-stream-spring-boot-dev-broker-",
			"kafka_2.13-", "kafka-server-", "kafka-metadata-", "kafka-raft-", "kafka-storage-", "scala-library-",
			"spring-kafka-test-");

	@Test
	void leavesTheDevelopmentBrokerOut() throws IOException {
		List<String> libraries;
		try (JarFile jar = new JarFile(repackagedJar().toFile())) {
			libraries = jar.stream()
				.map(ZipEntry::getName)
				.filter((name) -> name.startsWith("BOOT-INF/lib/"))
				.map((name) -> name.substring("BOOT-INF/lib/".length()))
				.toList();
		}
		assertThat(libraries).anyMatch((library) -> library.startsWith("kafka-stream-spring-boot-autoconfigure-"))
			.anyMatch((library) -> library.startsWith("kafka-clients-"));
		assertThat(libraries).noneMatch((library) -> DEVELOPMENT_ONLY.stream().anyMatch(library::startsWith));
	}

	private static Path repackagedJar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			List<Path> jars = files.filter((file) -> file.getFileName().toString().endsWith(".jar")).toList();
			assertThat(jars).as("jars in target").hasSize(1);
			assertThat(Path.of(jars.get(0) + ".original")).as("the repackaged jar's original").exists();
			return jars.get(0);
		}
	}

}
