package dev.kafkastream.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak resident memory and CPU time of a running process, from Linux's {@code /proc/<pid>/status} ({@code VmHWM})
 * and {@code /proc/<pid>/stat} ({@code utime + stime}).
 *
 * @param peakRssKb the high-water mark of the resident set, in KiB
 * @param cpuMillis user plus system CPU time so far, in milliseconds
 */
record ProcessStats(long peakRssKb, long cpuMillis) {

	/** Clock ticks per second of {@code /proc/<pid>/stat} ({@code getconf CLK_TCK}: 100 on Linux). */
	private static final int TICKS_PER_SECOND = 100;

	static ProcessStats read(long pid) {
		try {
			long peak = 0;
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmHWM:")) {
					peak = Long.parseLong(line.substring(6).replace("kB", "").trim());
				}
			}
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return new ProcessStats(peak, ticks * 1000 / TICKS_PER_SECOND);
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("Cannot read /proc/" + pid + " (the benchmarks need Linux)", ex);
		}
	}

}
