package io.strata.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keyspace notifications (notify-keyspace-events): a write command names, for each key it
 * changed, Redis's event ({@code set}, {@code del}, {@code expire}, {@code rename_from} ...) and
 * its class; once its writes are stored the event is published, as Redis does, on
 * {@code __keyspace@0__:<key>} (message: the event; class K) and on
 * {@code __keyevent@0__:<event>} (message: the key; class E), through {@link StrataServer#publish}
 * (so on a cluster node to the subscribers of every node).
 *
 * <p>Beside the commands' own events: {@code expired} when the active expiry ({@link ActiveExpiry})
 * or DEL removes a key whose expiry passed; {@code new} (class n, not in A, as in Redis) for a
 * key a write creates, before that write's event, which makes blind writes read (they are
 * stored at once under exclusive locks, not gathered, while {@code n} is on); {@code keymiss}
 * (class m) for a read that finds no value, in the commands INFO's keyspace_misses counts (GET,
 * MGET, GETDEL, GETEX). Strata has no lists, sets, hashes, sorted sets or streams and never
 * evicts: those flags are accepted and shown, as Redis does, and have no effect.
 */
final class KeyspaceEvents {
    private KeyspaceEvents() {}

    static final int KEYSPACE = 1;
    static final int KEYEVENT = 1 << 1;
    static final int GENERIC = 1 << 2;
    static final int STRING = 1 << 3;
    static final int LIST = 1 << 4;
    static final int SET = 1 << 5;
    static final int HASH = 1 << 6;
    static final int ZSET = 1 << 7;
    static final int EXPIRED = 1 << 8;
    static final int EVICTED = 1 << 9;
    static final int STREAM = 1 << 10;
    static final int KEY_MISS = 1 << 11;
    static final int MODULE = 1 << 12;
    static final int NEW = 1 << 13;
    /** {@code A}: every class but key-miss and new (Redis's NOTIFY_ALL). */
    static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /** The class letters in the order Redis's CONFIG GET shows them (after A or these come K, E, m). */
    private static final String CLASS_LETTERS = "g$lshzxetdn";

    private static final int[] CLASS_BITS = {
        GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE, NEW
    };

    /** A parsed notify-keyspace-events value. Immutable. */
    record Flags(int bits) {
        static final Flags NONE = new Flags(0);

        static Flags parse(String letters) {
            int bits = 0;
            for (int i = 0; i < letters.length(); i++) {
                char c = letters.charAt(i);
                int at = CLASS_LETTERS.indexOf(c);
                if (at >= 0) {
                    bits |= CLASS_BITS[at];
                    continue;
                }
                bits |= switch (c) {
                    case 'A' -> ALL;
                    case 'K' -> KEYSPACE;
                    case 'E' -> KEYEVENT;
                    case 'm' -> KEY_MISS;
                    default ->
                        throw new IllegalArgumentException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                };
            }
            return new Flags(bits);
        }

        /** Whether an event of this class is published at all (K or E, and the class). */
        boolean publishes(int eventClass) {
            return (bits & (KEYSPACE | KEYEVENT)) != 0 && (bits & eventClass) != 0;
        }

        /** CONFIG GET's text, as Redis writes it. */
        String describe() {
            StringBuilder sb = new StringBuilder();
            if ((bits & ALL) == ALL) {
                sb.append('A'); // and, as Redis shows it, not n even if it is set
            } else {
                for (int i = 0; i < CLASS_BITS.length; i++) {
                    if ((bits & CLASS_BITS[i]) != 0) {
                        sb.append(CLASS_LETTERS.charAt(i));
                    }
                }
            }
            if ((bits & KEYSPACE) != 0) {
                sb.append('K');
            }
            if ((bits & KEYEVENT) != 0) {
                sb.append('E');
            }
            if ((bits & KEY_MISS) != 0) {
                sb.append('m');
            }
            return sb.toString();
        }
    }

    /** One event: its class, Redis's name for it, the key. */
    private record Event(int eventClass, String name, byte[] key) {}

    /**
     * The events of one connection's commands whose writes are not stored yet: a gathered blind
     * write's until its batch commits, a transaction's until EXEC stores it. Confined to the
     * connection's command thread.
     */
    static final class Pending {
        private final List<Event> events = new ArrayList<>();

        /** Records an event, unless the server does not publish its class (the cheap case: nothing is kept). */
        void add(StrataServer server, int eventClass, String name, byte[] key) {
            if (server.config().notifyKeyspaceEvents().publishes(eventClass)) {
                events.add(new Event(eventClass, name, key));
            }
        }

        /** The writes are stored: publishes the events, in order. */
        void publish(StrataServer server) {
            if (events.isEmpty()) {
                return;
            }
            Flags flags = server.config().notifyKeyspaceEvents();
            for (Event e : events) {
                byte[] name = e.name().getBytes(StandardCharsets.US_ASCII);
                if ((flags.bits() & KEYSPACE) != 0) {
                    server.publish(concat("__keyspace@0__:", e.key()), name);
                }
                if ((flags.bits() & KEYEVENT) != 0) {
                    server.publish(concat("__keyevent@0__:", name), e.key());
                }
            }
            events.clear();
        }

        /** The writes failed: nothing happened to publish. */
        void discard() {
            events.clear();
        }
    }

    private static byte[] concat(String prefix, byte[] rest) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[p.length + rest.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(rest, 0, out, p.length, rest.length);
        return out;
    }
}
