package io.strata.bench;

import static io.strata.bench.Results.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.Compression;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
    private static final List<Variant> VARIANTS = List.of(
            new Variant(Engine.STRATA, Compression.NONE),
            new Variant(Engine.ROCKSDB, Compression.NONE),
            new Variant(Engine.LMDB, Compression.NONE));
    private static final List<Step> STEPS = List.of(new Step("fillrandom", 1, 0), new Step("readrandom", 2, 0));

    @TempDir
    Path tmp;

    private static Report report(List<Variant> variants) {
        List<RunResult> runs = List.of(
                run(1, "strata", "fillrandom", 200, 3.0),
                run(1, "rocksdb", "fillrandom", 100, 2.5),
                run(1, "lmdb", "fillrandom", 400, 1.5),
                run(1, "strata", "readrandom:2", 1_000_000, null),
                run(1, "rocksdb", "readrandom:2", 500_000, null),
                run(1, "lmdb", "readrandom:2", 2_000_000, null));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("keys", 1000);
        return new Report(
                new Machine("a CPU", 2, 24L << 30, "Linux", "Java 17", "1.00 2.00 3.00"),
                "0.50 1.00 1.50",
                "2026-12-03T12:00:00Z",
                2.5,
                settings,
                List.of("readreverse did not run on leveldb: its cursors move forwards only"),
                Row.of(runs, STEPS, variants),
                runs);
    }

    @Test
    void theTableTheJsonAndTheChartAreWritten() throws Exception {
        ReportFiles.Written w = ReportFiles.write(tmp, report(VARIANTS), VARIANTS, 1);

        String md = Files.readString(tmp.resolve("bench.md"), StandardCharsets.UTF_8);
        assertThat(md).isEqualTo(w.markdown());
        assertThat(md)
                .contains("on a CPU, 2 cores, 24 GiB, Linux, Java 17; load average 1.00 2.00 3.00 before, "
                        + "0.50 1.00 1.50 after")
                .contains("| workload | engine | ops/s | MB/s | p50 µs | p99 µs | p99.9 µs | max µs | disk MiB "
                        + "| write-amp | GC ms | CPU s | ÷ strata/none | ÷ rocksdb/none | ÷ lmdb/none |")
                // fillrandom on strata: 200 ops/s, p50 5000 us, 2.00 x rocksdb's, 0.50 x lmdb's
                .contains("| fillrandom | strata/none | 200 | 0.0 | 5,000 | 10,000 | 15,000 | 20,000 | 0.0 | 3.00 "
                        + "| 1 | 0.10 | | 2.00 | 0.50 |")
                .contains("| readrandom:2 | lmdb/none | 2,000,000 | 232.0 | 0.50 | 1.00 | 1.50 | 2.00 | 19.1 |  "
                        + "| 1 | 0.10 | 2.00 | 4.00 | |")
                .contains("- readreverse did not run on leveldb");

        JsonNode json = BenchChild.JSON.readTree(tmp.resolve("bench.json").toFile());
        assertThat(json.get("machine").get("cores").asInt()).isEqualTo(2);
        assertThat(json.get("rows")).hasSize(6);
        assertThat(json.get("rows").get(0).get("ratios").get("rocksdb/none").asDouble())
                .isEqualTo(2.0);
        assertThat(json.get("runs")).hasSize(6);
        assertThat(json.get("runs").get(3).get("writeAmplification").isNull()).isTrue();
        Report back = BenchChild.JSON.readValue(tmp.resolve("bench.json").toFile(), Report.class);
        assertThat(back.rows()).isEqualTo(report(VARIANTS).rows());

        assertThat(w.chart()).isTrue();
        BufferedImage png = ImageIO.read(tmp.resolve("bench.png").toFile());
        assertThat(png.getWidth()).isEqualTo(1400);
        assertThat(png.getHeight()).isEqualTo(700);
    }

    @Test
    void withoutAPeerNoChartIsWrittenAndAnOldOneIsRemoved() throws Exception {
        ReportFiles.write(tmp, report(VARIANTS), VARIANTS, 1);
        List<Variant> alone = VARIANTS.subList(0, 1);

        ReportFiles.Written w = ReportFiles.write(tmp, report(alone), alone, 1);

        assertThat(w.chart()).isFalse();
        assertThat(tmp.resolve("bench.png")).doesNotExist();
        assertThat(tmp.resolve("bench.md")).exists();
    }
}
