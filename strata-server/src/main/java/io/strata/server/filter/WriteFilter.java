package io.strata.server.filter;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A hook that sees every value a client writes before it reaches the engine, and accepts,
 * rewrites or rejects it. Filters are found with {@link java.util.ServiceLoader} (a jar on the
 * server's class path lists its classes in {@code META-INF/services/io.strata.server.filter.WriteFilter})
 * or named by class, and only those named in the server's configuration ({@code --write-filter})
 * run, in the order named, each seeing the value the previous one produced.
 *
 * <p>The value is the string a command is about to store: SET's argument, each of MSET's values,
 * the result of APPEND, SETRANGE, INCR, .... Changing only a key's expiry (EXPIRE, PERSIST,
 * GETEX) or deleting it does not consult filters. A rejected write changes nothing (for MSET
 * and MSETNX: none of their keys) and the client gets
 * {@code -ERR write rejected by filter '<name>': <reason>}.
 *
 * <p>Called on command threads, concurrently: implementations must be thread safe, should be
 * fast, and must be deterministic (the same key and value give the same decision), since a
 * write may be filtered more than once on its way to the engine.
 */
public interface WriteFilter {
    /** The name that configuration uses and rejections show: short, without spaces. */
    String name();

    /**
     * Called once, before any write, with the settings given for this filter ({@code
     * --write-filter-option name.key=value}; a key given more than once has several values).
     * Throws {@link IllegalArgumentException} for settings it does not understand: the server
     * then does not start. The default accepts no settings.
     */
    default void configure(Map<String, List<String>> settings) {
        if (!settings.isEmpty()) {
            throw new IllegalArgumentException(
                    "write filter '" + name() + "' takes no options, got " + settings.keySet());
        }
    }

    /** Decides about one write of {@code value} to {@code key}; must not modify the arrays. */
    Decision filter(byte[] key, byte[] value);

    /** What a filter decided: accept the value, store another one instead, or refuse the write. */
    final class Decision {
        private static final Decision ACCEPT = new Decision(null, null);

        private final byte[] value;
        private final String reason;

        private Decision(byte[] value, String reason) {
            this.value = value;
            this.reason = reason;
        }

        public static Decision accept() {
            return ACCEPT;
        }

        /** Stores {@code value} instead (the filter must not change it afterwards). */
        public static Decision rewrite(byte[] value) {
            return new Decision(Objects.requireNonNull(value, "value"), null);
        }

        /** Refuses the write; {@code reason} is shown to the client. */
        public static Decision reject(String reason) {
            return new Decision(null, Objects.requireNonNull(reason, "reason"));
        }

        public boolean rejected() {
            return reason != null;
        }

        /** The value to store instead, or null to keep the one given. */
        public byte[] rewritten() {
            return value;
        }

        public String reason() {
            return reason;
        }
    }
}
