package io.strata.testkit.linearizability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Linearizable histories by construction: clients in a closed loop send GET, SET, INCR and DEL on a
 * few keys to a simulated server that applies each op atomically at a random point between its
 * invocation and its completion, so the order of those points is a linearization. Some ops get no
 * reply: the client gives up after a timeout, and the op took effect (possibly after that) or was
 * lost; a quarter of those never complete. Some fail, never applied. Times in microseconds. The
 * server is written here afresh, not borrowed from the checker's model.
 */
final class RegisterSimulation {
    /** A simulated op; {@code appliedAt} is its linearization point, or -1 if it never took effect. */
    record SimulatedOp(
            int client,
            Command command,
            long invokeAt,
            long appliedAt,
            long completeAt,
            Outcome outcome,
            Object reply) {

        SimulatedOp withReply(Outcome newOutcome, Object newReply) {
            return new SimulatedOp(client, command, invokeAt, appliedAt, completeAt, newOutcome, newReply);
        }

        Consumer<Op> completion() {
            if (outcome == Outcome.OK && reply instanceof Long number) {
                return op -> op.ok(number);
            }
            return switch (outcome) {
                case OK -> op -> op.ok((String) reply);
                case ERROR -> op -> op.error((String) reply);
                case FAILED -> Op::fail;
                default -> Op::unknown;
            };
        }
    }

    private static final int TIMEOUT = 1_000;

    private RegisterSimulation() {}

    /** {@code ops} ops in all from {@code clients} clients on keys k0..k(keys-1). */
    static List<SimulatedOp> run(Random random, int clients, int keys, int ops, double unrepliedRate) {
        List<SimulatedOp> planned = new ArrayList<>();
        long[] clientTime = new long[clients];
        int[] sequence = new int[clients];
        for (int i = 0; i < ops; i++) {
            int client = random.nextInt(clients);
            long invokeAt = clientTime[client] + random.nextInt(50);
            Command command = randomCommand(random, "k" + random.nextInt(keys), client, sequence[client]++);
            double fate = random.nextDouble();
            if (fate < unrepliedRate) {
                long appliedAt = random.nextBoolean() ? invokeAt + 1 + random.nextInt(3 * TIMEOUT) : -1;
                long completeAt = random.nextInt(4) == 0 ? ScriptedHistory.NEVER : invokeAt + TIMEOUT;
                planned.add(new SimulatedOp(client, command, invokeAt, appliedAt, completeAt, Outcome.UNKNOWN, null));
                clientTime[client] = invokeAt + TIMEOUT;
            } else if (fate < unrepliedRate * 1.5) {
                long completeAt = invokeAt + 1 + random.nextInt(100);
                planned.add(new SimulatedOp(client, command, invokeAt, -1, completeAt, Outcome.FAILED, null));
                clientTime[client] = completeAt;
            } else {
                long appliedAt = invokeAt + 10 + random.nextInt(500);
                long completeAt = appliedAt + 10 + random.nextInt(500);
                planned.add(new SimulatedOp(client, command, invokeAt, appliedAt, completeAt, Outcome.OK, null));
                clientTime[client] = completeAt;
            }
        }
        return applyInOrder(planned);
    }

    /** The history as a script, with {@code replacement} in place of the op at {@code replaced} (-1: none). */
    static ScriptedHistory script(List<SimulatedOp> ops, int replaced, SimulatedOp replacement) {
        ScriptedHistory script = new ScriptedHistory();
        for (int i = 0; i < ops.size(); i++) {
            SimulatedOp op = i == replaced ? replacement : ops.get(i);
            script.op(op.client(), op.command(), op.invokeAt(), op.completeAt(), op.completion());
        }
        return script;
    }

    private static Command randomCommand(Random random, String key, int client, int sequence) {
        int kind = random.nextInt(10);
        if (kind < 4) {
            return Command.get(key);
        } else if (kind < 7) {
            // Words no INCR can produce, each written once, or small integers that INCR continues.
            String value = random.nextBoolean() ? "c" + client + "-" + sequence : Integer.toString(random.nextInt(100));
            return Command.set(key, value);
        } else if (kind < 9) {
            return Command.incr(key);
        }
        return Command.del(key);
    }

    /** Runs the ops that take effect in the order of their points, giving those with a reply theirs. */
    private static List<SimulatedOp> applyInOrder(List<SimulatedOp> planned) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            if (planned.get(i).appliedAt() >= 0) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingLong(i -> planned.get(i).appliedAt()));
        Map<String, String> values = new HashMap<>();
        List<SimulatedOp> done = new ArrayList<>(planned);
        for (int i : order) {
            SimulatedOp op = planned.get(i);
            SimulatedOp executed = execute(values, op);
            if (op.outcome() == Outcome.OK) {
                done.set(i, executed);
            }
        }
        return done;
    }

    /** Runs {@code op} on {@code values}: the op with the reply it gets. */
    static SimulatedOp execute(Map<String, String> values, SimulatedOp op) {
        String key = op.command().key();
        return switch (op.command().kind()) {
            case GET -> op.withReply(Outcome.OK, values.get(key));
            case SET -> {
                values.put(key, op.command().value());
                yield op.withReply(Outcome.OK, "OK");
            }
            case DEL -> op.withReply(Outcome.OK, values.remove(key) == null ? 0L : 1L);
            case INCR -> {
                String value = values.getOrDefault(key, "0");
                if (!value.matches("-?(0|[1-9][0-9]{0,17})")) {
                    yield op.withReply(Outcome.ERROR, "ERR value is not an integer or out of range");
                }
                long incremented = Long.parseLong(value) + 1;
                values.put(key, Long.toString(incremented));
                yield op.withReply(Outcome.OK, incremented);
            }
        };
    }
}
