package dev.kafkastream.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.util.FileSystemUtils;

/**
 * The suite's report: one row per scenario, written under
 * {@code target/fault-suite/rows/} as each scenario ends, and the whole table rewritten to
 * {@code target/fault-suite/report.md} and printed each time. The first row of a run
 * clears those of earlier runs.
 */
final class FaultReport {

	private static final String HEADER = """
			| Scenario | Guarantee | Records | Faults injected | Duplicates | Missing | Open transactions | Recovery after each fault (s) | Target | Met |
			|---|---|---:|---|---:|---:|---:|---|---|---|
			""";

	private static boolean cleared;

	private FaultReport() {
	}

	static Path directory() {
		return Paths.get(System.getProperty("fault-suite.directory", "target/fault-suite"));
	}

	/**
	 * Adds a row and rewrites the report.
	 * @param scenario the scenario's name, unique in the suite
	 * @param row the row, a Markdown table line
	 */
	static synchronized void add(String scenario, String row) {
		Path rows = directory().resolve("rows");
		try {
			if (!cleared) {
				// the report is of this run only
				FileSystemUtils.deleteRecursively(rows);
				cleared = true;
			}
			Files.createDirectories(rows);
			Files.writeString(rows.resolve(scenario + ".md"), row + "\n", StandardCharsets.UTF_8);
			StringBuilder report = new StringBuilder("# Fault-tolerance suite: ")
				.append(Volume.current() == Volume.FULL ? "full volume" : "reduced volume (the normal build)")
				.append("\n\n")
				.append(HEADER);
			try (Stream<Path> files = Files.list(rows)) {
				for (Path file : files.sorted().toList()) {
					report.append(Files.readString(file, StandardCharsets.UTF_8));
				}
			}
			Files.writeString(directory().resolve("report.md"), report, StandardCharsets.UTF_8);
			System.out.println(report);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the fault report", ex);
		}
	}

	static String row(List<Object> cells) {
		StringBuilder row = new StringBuilder("|");
		cells.forEach((cell) -> row.append(' ').append(cell).append(" |"));
		return row.toString();
	}

}
