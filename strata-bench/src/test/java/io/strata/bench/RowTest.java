package io.strata.bench;

import static io.strata.bench.Results.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.strata.Compression;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowTest {
    private static final Variant STRATA = new Variant(Engine.STRATA, Compression.NONE);
    private static final Variant ROCKS = new Variant(Engine.ROCKSDB, Compression.NONE);
    private static final Variant ROCKS_LZ4 = new Variant(Engine.ROCKSDB, Compression.LZ4);

    @Test
    void eachMetricIsTheMedianOfTheRoundsAndRatiosCompareTheMedians() {
        List<RunResult> runs = List.of(
                run(1, "strata", "fillrandom", 100, 2.0),
                run(2, "strata", "fillrandom", 300, 4.0),
                run(3, "strata", "fillrandom", 200, 3.0),
                run(1, "rocksdb", "fillrandom", 50, null),
                run(2, "rocksdb", "fillrandom", 400, 1.0),
                run(3, "rocksdb", "fillrandom", 100, null));
        List<Row> rows = Row.of(runs, List.of(new Step("fillrandom", 1, 0)), List.of(STRATA, ROCKS));

        assertThat(rows).extracting(Row::variant).containsExactly("strata/none", "rocksdb/none");
        Row strata = rows.get(0);
        assertThat(strata.runs()).isEqualTo(3);
        assertThat(strata.opsPerSec()).isEqualTo(200);
        assertThat(strata.p50Micros()).isEqualTo(1e6 / 200);
        // each metric on its own: the median p99 comes from the median-ops run here, max too
        assertThat(strata.maxMicros()).isEqualTo(4e6 / 200);
        assertThat(strata.writeAmplification()).isEqualTo(3.0);
        assertThat(strata.gcMillis()).isEqualTo(2);
        assertThat(strata.ratios()).containsOnlyKeys("rocksdb/none");
        assertThat(strata.ratios().get("rocksdb/none")).isCloseTo(2.0, within(1e-9));

        Row rocks = rows.get(1);
        assertThat(rocks.opsPerSec()).isEqualTo(100);
        assertThat(rocks.writeAmplification()).as("the one run that knew it").isEqualTo(1.0);
        assertThat(rocks.ratios().get("strata/none")).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void onlyVariantsWithTheSameCompressionAreCompared() {
        List<RunResult> runs = List.of(
                run(1, "strata", "readrandom", 100, null),
                run(1, "rocksdb", "readrandom", 50, null),
                new RunResult(1, "rocksdb", "lz4", "readrandom", 1, 1, 25, 1, 1, 1, 1, 1, 1, 1, null, 0, 0));
        List<Row> rows = Row.of(runs, List.of(new Step("readrandom", 1, 0)), List.of(STRATA, ROCKS, ROCKS_LZ4));

        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).ratios()).containsOnlyKeys("rocksdb/none");
        assertThat(rows.get(2).variant()).isEqualTo("rocksdb/lz4");
        assertThat(rows.get(2).ratios()).isEmpty();
    }

    @Test
    void aStepAVariantDidNotRunHasNoRowAndNoRatioToIt() {
        List<RunResult> runs = List.of(run(1, "rocksdb", "readreverse", 80, null));
        List<Row> rows = Row.of(runs, List.of(new Step("readreverse", 1, 0)), List.of(STRATA, ROCKS));

        assertThat(rows).extracting(Row::variant).containsExactly("rocksdb/none");
        assertThat(rows.get(0).ratios()).isEmpty();
    }
}
