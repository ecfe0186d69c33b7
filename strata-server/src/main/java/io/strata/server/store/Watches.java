package io.strata.server.store;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * WATCH's registry: which connections watch which keys, and which of those connections a write
 * has touched since. The keyspace touches the watchers of every key it stores, after the store
 * call (even a failed one: it may have been applied), so a WATCH that reads the key under its
 * stripe lock either sees the write or is touched by it.
 *
 * <p>As in Redis, any write touches (the same value again, an expiry change), and a deletion
 * does not touch a watcher that saw the key absent or expired: that changes nothing a reader
 * could see. A watched key whose expiry passes between WATCH and EXEC counts as changed
 * ({@link #changed}); compaction, which removes expired values without a command, touches nothing.
 *
 * <p>Bounded: the keys watched by all connections together hold at most {@link #MAX_BYTES}.
 *
 * <p>Thread-safe: every field is guarded by this object's monitor but {@link #any}, which lets
 * writes skip the monitor while nobody watches.
 */
public final class Watches {
    /** What all connections' watched keys may take together: each key's bytes and {@link #ENTRY_BYTES}. */
    public static final long MAX_BYTES = 64L * 1024 * 1024;

    static final int ENTRY_BYTES = 64;

    /** One connection's handle: what it watches is kept here, under the registry's monitor. */
    public static final class Watcher {
        private Watcher() {}
    }

    /** What WATCH saw of one key: absent (or expired), or live with this expiry (0: none). */
    private record Seen(boolean absent, long expireAt) {}

    @GuardedBy("this")
    private final Map<ByteBuffer, Set<Watcher>> byKey = new HashMap<>();
    /** Each watcher's keys, with what it saw of each; a watcher without keys has no entry. */
    @GuardedBy("this")
    private final Map<Watcher, Map<ByteBuffer, Seen>> keysOf = new IdentityHashMap<>();
    /** The watchers a write has touched since they watched (they hold no keys any more). */
    @GuardedBy("this")
    private final Set<Watcher> touched = Collections.newSetFromMap(new IdentityHashMap<>());

    @GuardedBy("this")
    private long bytes;
    /** Whether any key is watched: written under the monitor, read without it by every write. */
    private volatile boolean any;

    public Watcher newWatcher() {
        return new Watcher();
    }

    /**
     * Adds {@code key} to {@code w}'s watched keys, as it is now: {@code live} is its live value,
     * or null. Called with the key's stripe lock held. Returns false, watching nothing more, if
     * that would exceed {@link #MAX_BYTES}.
     */
    public synchronized boolean watch(Watcher w, byte[] key, StoredValue live) {
        ByteBuffer k = ByteBuffer.wrap(key);
        Map<ByteBuffer, Seen> mine = keysOf.get(w);
        if (mine != null && mine.containsKey(k)) {
            return true; // as in Redis, the first WATCH of a key is the one that counts
        }
        if (bytes + key.length + ENTRY_BYTES > MAX_BYTES) {
            return false;
        }
        bytes += key.length + ENTRY_BYTES;
        keysOf.computeIfAbsent(w, x -> new HashMap<>())
                .put(k, new Seen(live == null, live == null ? 0 : live.expireAt()));
        byKey.computeIfAbsent(k, x -> new HashSet<>()).add(w);
        any = true;
        return true;
    }

    /** A write of {@code key} was stored (or may have been): its watchers' transactions are to abort. */
    void touch(byte[] key, boolean deleted) {
        if (!any) {
            return;
        }
        ByteBuffer k = ByteBuffer.wrap(key);
        synchronized (this) {
            Set<Watcher> watchers = byKey.get(k);
            if (watchers == null) {
                return;
            }
            List<Watcher> hit = new ArrayList<>();
            for (Watcher w : watchers) {
                if (!deleted || !keysOf.get(w).get(k).absent()) {
                    hit.add(w);
                }
            }
            for (Watcher w : hit) {
                // As in Redis, a touched watcher lets go of its keys: its EXEC aborts whatever happens next.
                forget(w);
                touched.add(w);
            }
        }
    }

    /** The keys watched now, by anyone (FLUSHDB on a cluster node touches those that exist). */
    synchronized List<byte[]> watchedKeys() {
        List<byte[]> keys = new ArrayList<>(byKey.size());
        byKey.keySet().forEach(k -> keys.add(k.array()));
        return keys;
    }

    /**
     * Whether {@code w}'s transaction is to abort: a write touched one of its keys, or the expiry
     * of one that was live when watched has passed at {@code now}. Called by EXEC with every
     * stripe lock held, so that no write lands between this check and the transaction.
     */
    public synchronized boolean changed(Watcher w, long now) {
        if (touched.contains(w)) {
            return true;
        }
        for (Seen s : keysOf.getOrDefault(w, Map.of()).values()) {
            if (!s.absent() && ValueCodec.expired(s.expireAt(), now)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code w} watches nothing and has not been touched: a WATCH now starts it afresh. */
    public synchronized boolean idle(Watcher w) {
        return !keysOf.containsKey(w) && !touched.contains(w);
    }

    /** Forgets {@code w}'s keys and that it was touched (UNWATCH, EXEC, DISCARD, RESET, disconnection). */
    public synchronized void release(Watcher w) {
        forget(w);
        touched.remove(w);
    }

    /** How many (connection, key) pairs are watched now. */
    public synchronized int entries() {
        int n = 0;
        for (Map<ByteBuffer, Seen> keys : keysOf.values()) {
            n += keys.size();
        }
        return n;
    }

    @GuardedBy("this")
    private void forget(Watcher w) {
        Map<ByteBuffer, Seen> mine = keysOf.remove(w);
        if (mine == null) {
            return;
        }
        for (ByteBuffer k : mine.keySet()) {
            Set<Watcher> watchers = byKey.get(k);
            watchers.remove(w);
            if (watchers.isEmpty()) {
                byKey.remove(k);
            }
            bytes -= k.capacity() + ENTRY_BYTES;
        }
        any = !byKey.isEmpty();
    }
}
