package io.strata.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this process has used so far: GC time (all collectors), CPU time (all threads), and the
 * bytes it caused to be written to storage (Linux's {@code /proc/self/io} write_bytes, counted
 * when a page is dirtied, so background writes of the engine's own threads count, and writeback
 * after the process ends does not escape; -1 where the file cannot be read).
 */
record Probe(long gcMillis, long cpuNanos, long writeBytes) {
    static Probe now() {
        long gc = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, b.getCollectionTime());
        }
        long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
        return new Probe(gc, cpu, bytesWritten());
    }

    private static long bytesWritten() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"), StandardCharsets.UTF_8)) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(
                            line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or not readable: unknown
        }
        return -1;
    }
}
