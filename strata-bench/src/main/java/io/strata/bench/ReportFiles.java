package io.strata.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a report as bench.md, bench.json and (where there is a peer to compare with) bench.png. */
final class ReportFiles {
    static final String MARKDOWN = "bench.md";
    static final String JSON = "bench.json";
    static final String CHART = "bench.png";

    private ReportFiles() {}

    /** Writes the files into {@code dir}; returns the Markdown, and whether a chart was written. */
    static Written write(Path dir, Report report, List<Variant> variants, int runs) throws IOException {
        Files.createDirectories(dir);
        String markdown = MarkdownReport.render(
                report, variants.stream().map(Variant::label).toList());
        Files.writeString(dir.resolve(MARKDOWN), markdown, StandardCharsets.UTF_8);
        BenchChild.JSON
                .writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve(JSON).toFile(), report);
        Files.deleteIfExists(dir.resolve(CHART)); // no stale chart beside a new table
        boolean chart = RatioChart.write(dir.resolve(CHART), report.rows(), variants, runs);
        return new Written(markdown, chart);
    }

    record Written(String markdown, boolean chart) {}
}
