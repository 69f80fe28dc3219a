package dev.kafkastream.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The CPU and memory of this (Linux) machine, for the report. */
final class Machine {

	private Machine() {
	}

	static String cpu() {
		return field(Path.of("/proc/cpuinfo"), "model name").orElse("unknown CPU");
	}

	static String memory() {
		return field(Path.of("/proc/meminfo"), "MemTotal")
			.map((text) -> String.format(Locale.ROOT, "%.0f GiB RAM",
					Long.parseLong(text.replace("kB", "").trim()) / 1024.0 / 1024.0))
			.orElse("unknown memory");
	}

	private static Optional<String> field(Path file, String name) {
		try (var lines = Files.lines(file)) {
			return lines.filter((line) -> line.startsWith(name))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

}
