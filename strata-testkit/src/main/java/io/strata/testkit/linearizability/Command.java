package io.strata.testkit.linearizability;

import java.util.Objects;

/**
 * A command on one key of a Redis string key space, as a test client sends it. {@code value} is the
 * value a SET writes, and null for every other kind.
 */
public record Command(Kind kind, String key, String value) {
    /** The commands the model knows: all read or write one key holding a string (or nothing). */
    public enum Kind {
        GET,
        SET,
        INCR,
        DEL
    }

    public Command {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        if ((kind == Kind.SET) != (value != null)) {
            throw new IllegalArgumentException("a SET, and only a SET, has a value: " + kind + " " + value);
        }
    }

    public static Command get(String key) {
        return new Command(Kind.GET, key, null);
    }

    public static Command set(String key, String value) {
        return new Command(Kind.SET, key, Objects.requireNonNull(value, "value"));
    }

    public static Command incr(String key) {
        return new Command(Kind.INCR, key, null);
    }

    public static Command del(String key) {
        return new Command(Kind.DEL, key, null);
    }

    @Override
    public String toString() {
        return kind == Kind.SET ? "SET " + key + " \"" + value + "\"" : kind.name() + " " + key;
    }
}
