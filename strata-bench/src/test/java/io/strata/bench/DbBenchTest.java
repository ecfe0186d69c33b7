package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.Compression;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command end to end: child JVMs on this test's class path, real engines, small stores. */
class DbBenchTest {
    @TempDir
    Path tmp;

    @Test
    void aComparisonRunsEachStepInAChildAndWritesTheReport() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new DbBench())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(
                        "--engines", "strata,lmdb",
                        "--benchmarks", "fillrandom,readrandom,readreverse",
                        "--num", "3000",
                        "--runs", "2",
                        "--db", tmp.resolve("db").toString(),
                        "--report", tmp.resolve("report").toString(),
                        "--jvm-options", "-Xmx256m");

        assertThat(exit).as(out + "\n" + err).isZero();
        // 2 rounds of fillrandom, readrandom, readreverse on each engine; every read checked
        assertThat(out.toString())
                .contains("[ 12/12 ")
                .contains("round 2 lmdb/none")
                .contains("readreverse");
        JsonNode json =
                BenchChild.JSON.readTree(tmp.resolve("report/bench.json").toFile());
        assertThat(json.get("runs")).hasSize(12);
        assertThat(json.get("rows")).hasSize(6);
        for (JsonNode run : json.get("runs")) {
            assertThat(run.get("ops").asLong()).isEqualTo(3000);
            assertThat(run.get("diskBytes").asLong()).isPositive();
        }
        assertThat(Files.readString(tmp.resolve("report/bench.md"), StandardCharsets.UTF_8))
                .contains("| readrandom | lmdb/none |")
                .contains("| readreverse | strata/none |")
                .doesNotContain("did not run");
        assertThat(tmp.resolve("report/bench.png")).isNotEmptyFile();
        assertThat(tmp.resolve("db")).isEmptyDirectory();
    }

    @Test
    void withoutReportTheReportGoesUnderTheBaseDirectoryAndOutlivesTheRun() {
        Path db = tmp.resolve("db");
        int exit = new CommandLine(new DbBench())
                .setOut(new PrintWriter(new StringWriter(), true))
                .execute("--benchmarks", "fillseq", "--num", "500", "--runs", "1", "--db", db.toString());

        assertThat(exit).isZero();
        assertThat(db.resolve("report/bench.md")).isNotEmptyFile();
        assertThat(db.resolve("report/bench.json")).isNotEmptyFile();
        assertThat(db.toFile().list()).containsExactly("report");
    }

    @Test
    void aChildWhoseStoreReadsBackWrongFailsWithItsReason() {
        // readrandom on an empty store: every key is missing.
        BenchConfig config = new BenchConfig(100, 100, 16, 100, null, 1, 1 << 20, 1 << 20, 10, 4096, 10, 100);
        ChildRequest request = new ChildRequest(
                1,
                new Variant(Engine.STRATA, Compression.NONE),
                new Step("readrandom", 1, 0),
                config,
                tmp.resolve("db").toString(),
                true);
        ChildLauncher launcher =
                new ChildLauncher(List.of("-Xmx256m"), tmp.resolve("work"), tmp.resolve("log"), Duration.ofMinutes(5));

        assertThatThrownBy(() -> launcher.run(request))
                .isInstanceOf(BenchFailure.class)
                .hasMessageContaining("round 1 strata/none readrandom failed (exit 1): readrandom: key")
                .hasMessageContaining("is missing");
    }
}
