package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.Compression;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read workloads check what they read, so that a fast wrong engine cannot win: each runs
 * through the child's entry point on an in-memory store, first a correct one (every workload
 * passes), then stores broken one way each, which must fail the run naming the key.
 */
class ReadChecksTest {
    private static final int NUM = 2000;
    /** The key the broken stores lose or mix up (any key of [0, NUM) would do). */
    private static final long VICTIM = 1234;

    @TempDir
    Path tmp;

    private static final BenchConfig CONFIG =
            new BenchConfig(NUM, NUM, 16, 100, null, 301, 1 << 20, 1 << 20, 10, 4096, 100, 1000);
    private static final KeySpace KEYS = new KeySpace(NUM, 16, 100);

    /** Runs fillrandom on {@code store}, then {@code workload}; returns the latter's result. */
    private RunResult run(MemoryStore store, String workload, int threads) throws Exception {
        measure(store, new Step("fillrandom", 1, 0), true);
        return measure(store, new Step(workload, threads, 0), false);
    }

    private RunResult measure(MemoryStore store, Step step, boolean fresh) throws Exception {
        ChildRequest request =
                new ChildRequest(1, new Variant(Engine.STRATA, Compression.NONE), step, CONFIG, tmp.toString(), fresh);
        return BenchChild.measure(request, (dir, options) -> store);
    }

    @Test
    void aCorrectStorePassesEveryReadWorkload() throws Exception {
        for (String w :
                List.of("readrandom", "readmissing", "readseq", "readreverse", "seekrandom", "readwhilewriting")) {
            RunResult r = run(new MemoryStore(), w, w.equals("readrandom") ? 3 : 1);
            assertThat(r.ops()).as(w).isEqualTo(NUM);
            assertThat(r.opsPerSec()).as(w).isPositive();
            assertThat(r.p50Micros()).as(w).isPositive().isLessThanOrEqualTo(r.maxMicros());
            assertThat(r.writeAmplification()).as(w + " writes nothing").isNull();
        }
    }

    /** Loses one key: it is never stored. */
    private static class DropsAKey extends MemoryStore {
        @Override
        public void put(byte[] key, byte[] value) {
            if (!Arrays.equals(key, KEYS.key(VICTIM))) {
                super.put(key, value);
            }
        }
    }

    @Test
    void anEngineThatDropsAKeyFailsTheRun() {
        for (String w : List.of("readrandom", "readseq", "readreverse", "readwhilewriting")) {
            assertThatThrownBy(() -> run(new DropsAKey(), w, 2))
                    .as(w)
                    .isInstanceOf(WrongReadException.class)
                    .hasMessageContaining("key " + VICTIM)
                    .hasMessageContaining(w);
        }
    }

    @Test
    void anEngineThatDropsAKeyFailsTheFillsOwnCheckToo() {
        // fillrandom checks a sample of 1000 of its 2000 keys, every second one in its order:
        // the victim's place in that order decides whether it is sampled, so lose them all.
        MemoryStore losesEverything = new MemoryStore() {
            @Override
            public void put(byte[] key, byte[] value) {}
        };
        assertThatThrownBy(() -> measure(losesEverything, new Step("fillrandom", 1, 0), true))
                .isInstanceOf(WrongReadException.class)
                .hasMessageContaining("fillrandom: key")
                .hasMessageContaining("is missing");
    }

    @Test
    void anEngineThatAnswersWithAnotherKeysValueFailsTheRun() {
        MemoryStore mixesUp = new MemoryStore() {
            @Override
            public byte[] get(byte[] key) {
                return super.get(Arrays.equals(key, KEYS.key(VICTIM)) ? KEYS.key(VICTIM + 1) : key);
            }
        };
        assertThatThrownBy(() -> run(mixesUp, "readrandom", 1))
                .isInstanceOf(WrongReadException.class)
                .hasMessage("readrandom: key " + VICTIM + " has the value of key " + (VICTIM + 1));
    }

    @Test
    void anEngineThatFindsAMissingKeyFailsReadmissing() {
        MemoryStore findsTooMuch = new MemoryStore() {
            @Override
            public byte[] get(byte[] key) {
                byte[] v = super.get(key);
                return v != null ? v : new byte[100];
            }
        };
        assertThatThrownBy(() -> run(findsTooMuch, "readmissing", 1))
                .isInstanceOf(WrongReadException.class)
                .hasMessageContaining("should be absent");
    }

    @Test
    void aCursorThatSkipsAKeyFailsSeekrandom() {
        MemoryStore skips = new DropsAKey() {
            @Override
            public byte[] get(byte[] key) {
                // point reads still find the victim: only the cursor lacks it
                return Arrays.equals(key, KEYS.key(VICTIM))
                        ? KEYS.value(VICTIM, new ValueFiller(new SplittableRandom(1), null))
                        : map.get(key);
            }
        };
        // 2000 seeks to random keys, each covering 11: some reach the victim (seed 301).
        assertThatThrownBy(() -> run(skips, "seekrandom", 1))
                .isInstanceOf(WrongReadException.class)
                .hasMessageContaining("where key " + VICTIM + " belongs");
    }
}
