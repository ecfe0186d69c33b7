package io.strata.testkit.linearizability;

import java.util.Objects;

/**
 * The sequential specification of one key of a Redis string key space. A state is the key's value,
 * null when the key is absent. An INCR treats an absent key as 0 and fails, without effect, on a
 * value that is not an integer in canonical form (as Redis's string2ll reads it) or whose increment
 * would overflow. An op without a reply ({@link RecordedOp#replied()} false) is allowed in every
 * state, and has its effect.
 */
final class StringKeyModel {
    private StringKeyModel() {}

    /** Whether {@code op}'s reply is the one the command gives when applied to {@code value}. */
    static boolean allows(String value, RecordedOp op) {
        if (!op.replied()) {
            return true;
        }
        Long integer = integerValue(value);
        boolean incrementable = integer != null && integer != Long.MAX_VALUE;
        if (op.outcome() == Outcome.ERROR) {
            return op.command().kind() == Command.Kind.INCR && !incrementable;
        }
        Object reply = op.reply();
        switch (op.command().kind()) {
            case GET:
                return Objects.equals(value, reply);
            case SET:
                return "OK".equals(reply);
            case INCR:
                return incrementable && reply instanceof Long && (Long) reply == integer + 1;
            case DEL:
                return reply instanceof Long && (Long) reply == (value == null ? 0 : 1);
        }
        throw new AssertionError(op.command().kind());
    }

    /** The value after {@code op} is applied to {@code value} (which {@link #allows} it). */
    static String apply(String value, RecordedOp op) {
        switch (op.command().kind()) {
            case GET:
                return value;
            case SET:
                return op.command().value();
            case INCR:
                Long integer = integerValue(value);
                return integer == null || integer == Long.MAX_VALUE ? value : Long.toString(integer + 1);
            case DEL:
                return null;
        }
        throw new AssertionError(op.command().kind());
    }

    /** Whether the command's next value does not depend on the current one: what it overwrites, none can see. */
    static boolean overwrites(Command command) {
        return command.kind() == Command.Kind.SET || command.kind() == Command.Kind.DEL;
    }

    /** The integer an INCR reads: 0 for an absent key, null for a value that is not an integer. */
    private static Long integerValue(String value) {
        if (value == null) {
            return 0L;
        }
        try {
            long parsed = Long.parseLong(value);
            // Redis reads "007", "+7" or "-0" as not an integer; Long.parseLong takes them.
            return Long.toString(parsed).equals(value) ? parsed : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
