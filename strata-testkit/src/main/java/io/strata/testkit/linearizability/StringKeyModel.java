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
        Command.Kind kind = op.command().kind();
        if (op.outcome() == Outcome.ERROR) {
            return kind == Command.Kind.INCR && incremented(value) == null;
        }
        Object reply = op.reply();
        return switch (kind) {
            case GET -> Objects.equals(value, reply);
            case SET -> "OK".equals(reply);
            case INCR -> Objects.equals(incremented(value), reply);
            case DEL -> reply instanceof Long removed && removed == (value == null ? 0 : 1);
        };
    }

    /** The value after {@code op} is applied to {@code value} (which {@link #allows} it). */
    static String apply(String value, RecordedOp op) {
        return switch (op.command().kind()) {
            case GET -> value;
            case SET -> op.command().value();
            case INCR -> {
                Long next = incremented(value);
                yield next == null ? value : next.toString();
            }
            case DEL -> null;
        };
    }

    /** Whether the command's next value does not depend on the current one: what it overwrites, none can see. */
    static boolean overwrites(Command command) {
        return command.kind() == Command.Kind.SET || command.kind() == Command.Kind.DEL;
    }

    /** What an INCR of {@code value} replies: null if it fails, the value not being an integer or at the maximum. */
    private static Long incremented(String value) {
        if (value == null) {
            return 1L;
        }
        // As Redis's string2ll: an optional '-' and decimal digits, no leading zero (so no "-0"),
        // no sign "+", no spaces. Checked by hand, as Long.parseLong would throw for every word.
        int length = value.length();
        int first = length > 0 && value.charAt(0) == '-' ? 1 : 0;
        if (length == first || length - first > 19 || (value.charAt(first) == '0' && length > 1)) {
            return null;
        }
        for (int i = first; i < length; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return null;
            }
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null; // 19 digits beyond the range of a long
        }
        return parsed == Long.MAX_VALUE ? null : parsed + 1;
    }
}
