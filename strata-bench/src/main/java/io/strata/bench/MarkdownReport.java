package io.strata.bench;

import java.util.List;
import java.util.Locale;

/** The report as Markdown: where and how it was measured, one table of medians, and the notes. */
final class MarkdownReport {
    private MarkdownReport() {}

    static String render(Report r, List<String> variants) {
        StringBuilder out = new StringBuilder();
        Machine m = r.machine();
        out.append(String.format(
                Locale.ROOT,
                "Measured %s (%.1f minutes) on %s, %d cores, %.0f GiB, %s, %s; load average %s before, %s after.%n%n",
                r.started(),
                r.minutes(),
                m.cpu(),
                m.cores(),
                m.memoryBytes() / (double) (1L << 30),
                m.os(),
                m.javaVersion(),
                m.loadAverage(),
                r.loadAverageAfter()));
        out.append("Settings: ").append(r.settings()).append("\n\n");
        StringBuilder header = new StringBuilder("| workload | engine | ops/s | MB/s | p50 µs | p99 µs | p99.9 µs "
                + "| max µs | disk MiB | write-amp | GC ms | CPU s |");
        StringBuilder rule = new StringBuilder("|---|---|" + "---:|".repeat(10));
        for (String v : variants) {
            header.append(" ÷ ").append(v).append(" |");
            rule.append("---:|");
        }
        out.append(header).append('\n').append(rule).append('\n');
        for (Row row : r.rows()) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %,.0f | %.1f | %s | %s | %s | %s | %.1f | %s | %.0f | %.2f |",
                    row.step(),
                    row.variant(),
                    row.opsPerSec(),
                    row.mbPerSec(),
                    micros(row.p50Micros()),
                    micros(row.p99Micros()),
                    micros(row.p999Micros()),
                    micros(row.maxMicros()),
                    row.diskBytes() / (double) (1 << 20),
                    row.writeAmplification() == null
                            ? ""
                            : String.format(Locale.ROOT, "%.2f", row.writeAmplification()),
                    row.gcMillis(),
                    row.cpuSeconds()));
            for (String v : variants) {
                Double ratio = row.ratios().get(v);
                out.append(ratio == null ? " |" : String.format(Locale.ROOT, " %.2f |", ratio));
            }
            out.append('\n');
        }
        out.append('\n');
        for (String note : r.notes()) {
            out.append("- ").append(note).append('\n');
        }
        return out.toString();
    }

    /** Three significant digits or so: sub-microsecond reads and second-long stalls both show. */
    private static String micros(double us) {
        return String.format(Locale.ROOT, us < 10 ? "%.2f" : us < 1000 ? "%.1f" : "%,.0f", us);
    }
}
