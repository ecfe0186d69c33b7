package io.strata.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Set;

/**
 * When each key was last used, to the second, for OBJECT IDLETIME: a fixed table of {@link #SLOTS}
 * times indexed by a hash of the key, as a sketch (4 MiB whatever the number of keys; nothing is
 * written to the store on a read). Keys that share a slot share its time, so a key can look used
 * more recently than it was, never less; a key no command has used since the server started is
 * idle since the start. Redis's own LRU clock also counts in seconds.
 *
 * <p>Thread-safe: each slot is written and read with opaque access (atomic, no ordering), by any
 * command thread; the last writer of a slot wins, which is as good as any.
 */
final class AccessTimes {
    static final int SLOTS = 1 << 20;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(int[].class);

    /** Seconds since {@link #originMillis}, plus one: 0 is a slot no key has used. */
    private final int[] seconds = new int[SLOTS];

    private final long originMillis;

    /** @param originMillis epoch milliseconds the idle times of unused keys count from (the start) */
    AccessTimes(long originMillis) {
        this.originMillis = originMillis;
    }

    /** The commands that look at their keys without using them (Redis's LOOKUP_NOTOUCH). */
    private static final Set<String> LOOK_ONLY =
            Set.of("type", "ttl", "pttl", "expiretime", "pexpiretime", "exists", "object", "memory");

    /**
     * A command ran: its keys were used at {@code nowMillis}, unless it only looks at them (TYPE,
     * TTL, EXISTS, OBJECT, ...) or its connection set CLIENT NO-TOUCH (which TOUCH ignores).
     */
    void ran(CommandSpec spec, byte[][] argv, Client client, long nowMillis) {
        if (!CommandKeys.hasKeys(spec)
                || LOOK_ONLY.contains(spec.name())
                || (client.noTouch && !spec.name().equals("touch"))) {
            return;
        }
        for (CommandKeys.Key k : CommandKeys.find(spec, argv)) {
            touch(argv[k.index()], nowMillis);
        }
    }

    /** {@code key} was used at {@code nowMillis}. */
    void touch(byte[] key, long nowMillis) {
        long s = Math.max(0, (nowMillis - originMillis) / 1000) + 1;
        SLOT.setOpaque(seconds, slot(key), (int) Math.min(s, Integer.MAX_VALUE));
    }

    /** Whole seconds since {@code key} was last used (at most), as of {@code nowMillis}. */
    long idleSeconds(byte[] key, long nowMillis) {
        int s = (int) SLOT.getOpaque(seconds, slot(key));
        long usedAt = s == 0 ? originMillis : originMillis + (s - 1) * 1000L;
        return Math.max(0, (nowMillis - usedAt) / 1000);
    }

    private static int slot(byte[] key) {
        int h = Arrays.hashCode(key);
        h ^= h >>> 16;
        return h & (SLOTS - 1);
    }
}
