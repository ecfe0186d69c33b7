package io.strata.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.linearizability.RegisterSimulation.SimulatedOp;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Simulated linearizable histories (see {@link RegisterSimulation}) check as linearizable, and each
 * with one read's reply changed to a value overwritten long before does not.
 */
class RandomHistoryTest {
    private static final long FIRST_SEED = 20_240_611L;
    private static final int SEEDS = 10;

    /** A GET of the history and a value its key held that a later op, before the GET, surely overwrote. */
    private record StaleRead(int get, String value) {}

    @Test
    void simulatedHistoriesAreLinearizableUntilAReadIsMadeStale() {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            System.out.println("RandomHistoryTest seed " + seed);
            List<SimulatedOp> ops = RegisterSimulation.run(new Random(seed), 8, 5, 3000, 0.03);

            CheckResult result = check(RegisterSimulation.script(ops, -1, null));
            assertThat(result.linearizable()).as("seed %d: %s", seed, result).isTrue();

            StaleRead stale = staleRead(ops);
            SimulatedOp get = ops.get(stale.get());
            CheckResult mutated =
                    check(RegisterSimulation.script(ops, stale.get(), get.withReply(Outcome.OK, stale.value())));
            assertThat(mutated.verdict()).as("seed %d: %s", seed, mutated).isEqualTo(CheckResult.Verdict.VIOLATION);
            assertThat(mutated.description())
                    .contains("key \"" + get.command().key() + "\" is not linearizable")
                    .contains("GET " + get.command().key() + " -> \"" + stale.value() + "\"");
            if (seed == FIRST_SEED) {
                System.out.println(mutated.description());
            }
        }
    }

    private static CheckResult check(ScriptedHistory script) {
        return LinearizabilityChecker.check(script.toHistory(), Duration.ofSeconds(30));
    }

    /**
     * The last replied GET for which some word (written once: no other op can bring it back) was
     * written by a replied SET, which then an op with a reply that changed the value overwrote
     * after that SET completed and before the GET was invoked; the earliest such SET.
     */
    private static StaleRead staleRead(List<SimulatedOp> ops) {
        for (int g = ops.size() - 1; g >= 0; g--) {
            SimulatedOp get = ops.get(g);
            if (get.command().kind() != Command.Kind.GET || get.outcome() != Outcome.OK) {
                continue;
            }
            for (SimulatedOp set : ops) {
                if (set.command().kind() == Command.Kind.SET
                        && set.outcome() == Outcome.OK
                        && set.command().key().equals(get.command().key())
                        && set.command().value().startsWith("c")
                        && overwrittenBetween(ops, set, get)) {
                    return new StaleRead(g, set.command().value());
                }
            }
        }
        throw new AssertionError("no stale read to make: the simulation needs more ops");
    }

    private static boolean overwrittenBetween(List<SimulatedOp> ops, SimulatedOp set, SimulatedOp get) {
        for (SimulatedOp w : ops) {
            boolean changedTheValue = w.outcome() == Outcome.OK
                    && (w.command().kind() == Command.Kind.SET
                            || w.command().kind() == Command.Kind.INCR
                            || (w.command().kind() == Command.Kind.DEL
                                    && Long.valueOf(1).equals(w.reply())));
            if (changedTheValue
                    && w.command().key().equals(set.command().key())
                    && w.invokeAt() > set.completeAt()
                    && w.completeAt() < get.invokeAt()) {
                return true;
            }
        }
        return false;
    }
}
