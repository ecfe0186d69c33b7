package io.strata.server;

/**
 * How a command gives an expiry time: in seconds or milliseconds, from now (SET's EX and PX,
 * SETEX, PSETEX, EXPIRE, PEXPIRE) or since the Unix epoch (EXAT and PXAT, EXPIREAT, PEXPIREAT).
 * The one place that turns such a time into the epoch milliseconds a value stores.
 */
enum Expiry {
    EX(1000, true),
    PX(1, true),
    EXAT(1000, false),
    PXAT(1, false);

    private final long millisPerUnit;
    private final boolean fromNow;

    Expiry(long millisPerUnit, boolean fromNow) {
        this.millisPerUnit = millisPerUnit;
        this.fromNow = fromNow;
    }

    /** The epoch milliseconds {@code time} names at {@code now}, or the command's error if that overflows. */
    long at(long time, long now, String command) {
        try {
            long millis = Math.multiplyExact(time, millisPerUnit);
            return fromNow ? Math.addExact(millis, now) : millis;
        } catch (ArithmeticException e) {
            throw invalid(command);
        }
    }

    /** As {@link #at}, for the commands that refuse a time of 0 or less: SET, GETEX, SETEX, PSETEX. */
    long positiveAt(long time, long now, String command) {
        if (time <= 0) {
            throw invalid(command);
        }
        return at(time, now, command);
    }

    private static CommandError invalid(String command) {
        return new CommandError("ERR invalid expire time in '" + command + "' command");
    }
}
