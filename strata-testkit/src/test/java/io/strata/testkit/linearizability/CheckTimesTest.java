package io.strata.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How long checks of simulated histories of several sizes take (printed), each linearizable. The
 * first runs on a cold JIT, so the last repeats it.
 */
class CheckTimesTest {
    private static final long SEED = 7_350_113L;

    @Test
    void checkTimesForSeveralSizes() {
        System.out.println("CheckTimesTest seed " + SEED);
        time(1, 2_000, 0.01);
        time(5, 1_000, 0.01);
        time(5, 10_000, 0.01);
        time(5, 50_000, 0.01);
        time(5, 10_000, 0.05);
        time(1, 2_000, 0.01);
    }

    private static void time(int keys, int ops, double unrepliedRate) {
        History history = RegisterSimulation.script(
                        RegisterSimulation.run(new Random(SEED), 8, keys, ops, unrepliedRate), -1, null)
                .toHistory();
        long start = System.nanoTime();
        CheckResult result = LinearizabilityChecker.check(history, Duration.ofSeconds(60));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(
                "CheckTimesTest: %d ops on %d keys from 8 clients, %.0f%% without reply: %d ms%n",
                ops, keys, unrepliedRate * 100, millis);
        assertThat(result.linearizable()).as(result.description()).isTrue();
    }
}
