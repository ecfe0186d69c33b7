package io.strata.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.linearizability.RegisterSimulation.SimulatedOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checker against a search of every order: small random histories on one key, with random
 * replies (so some are linearizable and some not) and ops without reply, get the same verdict from
 * both. What the checker prunes (memoised and dominated configurations, the rules for ops without a
 * reply) must lose no linearization; the brute force prunes nothing.
 */
class BruteForceCrossCheckTest {
    private static final long SEED = 4_417L;
    private static final int HISTORIES = 3000;

    @Test
    void theCheckerAgreesWithTryingEveryOrder() {
        System.out.println("BruteForceCrossCheckTest seed " + SEED);
        Random random = new Random(SEED);
        int linearizable = 0;
        for (int h = 0; h < HISTORIES; h++) {
            List<SimulatedOp> ops = randomHistory(random, 2 + random.nextInt(6));
            boolean expected = anyOrder(ops, new boolean[ops.size()], new HashMap<>());
            CheckResult result = LinearizabilityChecker.check(
                    RegisterSimulation.script(ops, -1, null).toHistory(), Duration.ofSeconds(10));
            assertThat(result.linearizable())
                    .as("history %d: %s; %s", h, ops, result)
                    .isEqualTo(expected);
            linearizable += expected ? 1 : 0;
        }
        System.out.println("BruteForceCrossCheckTest: " + linearizable + " of " + HISTORIES + " linearizable");
        assertThat(linearizable).isBetween(HISTORIES / 10, HISTORIES * 9 / 10);
    }

    private static List<SimulatedOp> randomHistory(Random random, int size) {
        String[] values = {"a", "b", "1"};
        List<SimulatedOp> ops = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Command command = switch (random.nextInt(4)) {
                case 0 -> Command.get("k");
                case 1 -> Command.set("k", values[random.nextInt(values.length)]);
                case 2 -> Command.incr("k");
                default -> Command.del("k");
            };
            long invokeAt = random.nextInt(20);
            long completeAt = invokeAt + random.nextInt(10);
            int fate = random.nextInt(10);
            Outcome outcome = fate < 7 ? Outcome.OK : fate < 9 ? Outcome.UNKNOWN : Outcome.FAILED;
            if (outcome == Outcome.UNKNOWN && random.nextBoolean()) {
                completeAt = ScriptedHistory.NEVER;
            }
            SimulatedOp op = new SimulatedOp(i, command, invokeAt, -1, completeAt, outcome, null);
            if (outcome == Outcome.OK) {
                // The reply of running it on a random value: plausible, and right or wrong at random.
                Map<String, String> state = new HashMap<>();
                int start = random.nextInt(values.length + 2);
                if (start < values.length) {
                    state.put("k", values[start]);
                } else if (start == values.length) {
                    state.put("k", "2");
                }
                op = RegisterSimulation.execute(state, op);
            }
            ops.add(op);
        }
        return ops;
    }

    /** Whether the ops not yet placed can follow, in some order, those placed (leaving {@code values}). */
    private static boolean anyOrder(List<SimulatedOp> ops, boolean[] placed, Map<String, String> values) {
        boolean allRepliedPlaced = true;
        for (int i = 0; i < ops.size(); i++) {
            allRepliedPlaced &= placed[i] || !replied(ops.get(i));
        }
        if (allRepliedPlaced) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            SimulatedOp op = ops.get(i);
            if (placed[i] || !mayBePlaced(op) || !everyEarlierPlaced(ops, placed, op)) {
                continue;
            }
            Map<String, String> after = new HashMap<>(values);
            SimulatedOp ran = RegisterSimulation.execute(after, op);
            if (replied(op) && (ran.outcome() != op.outcome() || !Objects.equals(ran.reply(), op.reply()))) {
                continue;
            }
            placed[i] = true;
            boolean found = anyOrder(ops, placed, after);
            placed[i] = false;
            if (found) {
                return true;
            }
        }
        return false;
    }

    private static boolean replied(SimulatedOp op) {
        return op.outcome() == Outcome.OK || op.outcome() == Outcome.ERROR;
    }

    /** Failed ops never took effect; reads without reply show nothing. */
    private static boolean mayBePlaced(SimulatedOp op) {
        return replied(op) || (op.outcome() == Outcome.UNKNOWN && op.command().kind() != Command.Kind.GET);
    }

    /** Every op with a reply that completed before {@code op} was invoked is placed already. */
    private static boolean everyEarlierPlaced(List<SimulatedOp> ops, boolean[] placed, SimulatedOp op) {
        for (int j = 0; j < ops.size(); j++) {
            if (!placed[j] && replied(ops.get(j)) && ops.get(j).completeAt() < op.invokeAt()) {
                return false;
            }
        }
        return true;
    }
}
