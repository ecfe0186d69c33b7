package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.Compression;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {
    private static final Variant STRATA = new Variant(Engine.STRATA, Compression.NONE);
    private static final Variant LMDB = new Variant(Engine.LMDB, Compression.NONE);
    private static final Variant LEVELDB = new Variant(Engine.LEVELDB, Compression.NONE);
    private static final BenchConfig CONFIG =
            new BenchConfig(1000, 1000, 16, 100, null, 1, 1 << 20, 1 << 20, 10, 4096, 100, 1000);

    private static String describe(Launch l) {
        return l.round() + " " + l.variant().engine().label() + " " + l.step().label() + (l.fresh() ? " fresh" : "")
                + (l.measured() ? "" : " load");
    }

    @Test
    void readsRunOnWhatTheStepBeforeLeftAndALoadComesFirstWhereItLeftNone() {
        List<Step> steps = List.of(
                new Step("fillseq", 1, 0),
                new Step("readrandom", 2, 0),
                new Step("readreverse", 1, 0),
                new Step("deleterandom", 1, 0),
                new Step("readmissing", 1, 0),
                new Step("fillsync", 4, 0),
                new Step("seekrandom", 1, 0));

        Plan plan = Plan.of(steps, List.of(LEVELDB, LMDB), 2, CONFIG);

        assertThat(plan.launches())
                .extracting(PlanTest::describe)
                .containsExactly(
                        "1 leveldb fillseq fresh",
                        "1 leveldb readrandom:2",
                        "1 leveldb deleterandom",
                        "1 leveldb fillrandom fresh load",
                        "1 leveldb readmissing",
                        "1 leveldb fillsync:4 fresh",
                        "1 leveldb fillrandom fresh load",
                        "1 leveldb seekrandom",
                        "1 lmdb fillseq fresh",
                        "1 lmdb readrandom:2",
                        "1 lmdb readreverse",
                        "1 lmdb deleterandom",
                        "1 lmdb fillrandom fresh load",
                        "1 lmdb readmissing",
                        "1 lmdb fillsync:4 fresh",
                        "1 lmdb fillrandom fresh load",
                        "1 lmdb seekrandom",
                        // the next round starts with the next engine
                        "2 lmdb fillseq fresh",
                        "2 lmdb readrandom:2",
                        "2 lmdb readreverse",
                        "2 lmdb deleterandom",
                        "2 lmdb fillrandom fresh load",
                        "2 lmdb readmissing",
                        "2 lmdb fillsync:4 fresh",
                        "2 lmdb fillrandom fresh load",
                        "2 lmdb seekrandom",
                        "2 leveldb fillseq fresh",
                        "2 leveldb readrandom:2",
                        "2 leveldb deleterandom",
                        "2 leveldb fillrandom fresh load",
                        "2 leveldb readmissing",
                        "2 leveldb fillsync:4 fresh",
                        "2 leveldb fillrandom fresh load",
                        "2 leveldb seekrandom");
        assertThat(plan.notes()).containsExactly("readreverse did not run on leveldb: its cursors move forwards only");
    }

    @Test
    void aStepWithItsOwnKeyCountIsLoadedWithThatMany() {
        List<Step> steps = List.of(new Step("fillrandom", 1, 0), new Step("readrandom", 1, 5000));

        Plan plan = Plan.of(steps, List.of(STRATA), 1, CONFIG);

        assertThat(plan.launches())
                .extracting(PlanTest::describe)
                .containsExactly(
                        "1 strata fillrandom fresh",
                        "1 strata fillrandom@5000 fresh load",
                        "1 strata " + "readrandom@5000");
    }
}
