package io.strata.server.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When each key the server wrote with an expiry expires, in time order: what the active expiry
 * ({@code io.strata.server.ActiveExpiry}) takes the keys due from. The keyspace notes every
 * write it makes (an expiry, none, a deletion), before the write is stored.
 *
 * <p>A hint, never the truth: a write noted may fail, concurrent blind writes of one key may be
 * noted in another order than they are stored, and the index is empty after a restart. So the
 * active expiry re-reads every key it is given, under the key's stripe lock, before it deletes
 * anything; and whatever the index cannot know (after a restart, after it was full, on a cluster
 * node that has just become leader) a sweep of the whole keyspace finds and notes.
 *
 * <p>Bounded: the keys held take at most {@link #MAX_BYTES} together (each key's bytes and
 * {@link #ENTRY_BYTES}). When full it takes no new key and remembers that it refused one
 * ({@link #takeOverflow}), so that a sweep runs; a key it holds already may still change time.
 *
 * <p>Thread-safe: any command thread notes; one thread at a time takes what is due. Each key's
 * changes run inside {@link ConcurrentHashMap#compute} on {@link #byKey}, so the two maps agree
 * for every key once its change returns: {@link #byTime} holds exactly one entry per key of
 * {@link #byKey}, with the same time.
 */
public final class ExpiryIndex {
    /** What the index may take: keys and {@link #ENTRY_BYTES} each. */
    public static final long MAX_BYTES = 64L * 1024 * 1024;

    /** About what one key costs beyond its bytes: two map entries, a boxed time, the key's wrapper. */
    static final int ENTRY_BYTES = 160;

    private record Entry(long at, byte[] key) {}

    private static final Comparator<Entry> BY_TIME =
            Comparator.comparingLong(Entry::at).thenComparing(Entry::key, Arrays::compareUnsigned);

    private final long maxBytes;
    private final ConcurrentHashMap<ByteBuffer, Long> byKey = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<Entry> byTime = new ConcurrentSkipListSet<>(BY_TIME);
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();

    public ExpiryIndex() {
        this(MAX_BYTES);
    }

    /** For tests: a smaller bound. */
    ExpiryIndex(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Notes that {@code key} is being written to expire at {@code expireAt} (epoch ms), or with no
     * expiry (0), or deleted (0). Cheap when the index is empty and the write has no expiry: the
     * common write.
     */
    public void note(byte[] key, long expireAt) {
        if (expireAt == 0 && byKey.isEmpty()) {
            return;
        }
        byKey.compute(ByteBuffer.wrap(key), (k, old) -> {
            if (old != null) {
                if (old == expireAt) {
                    return old;
                }
                byTime.remove(new Entry(old, key));
                if (expireAt == 0) {
                    bytes.addAndGet(-cost(key));
                    return null;
                }
            } else if (expireAt == 0) {
                return null;
            } else if (bytes.get() + cost(key) > maxBytes) {
                overflowed.set(true);
                return null;
            } else {
                bytes.addAndGet(cost(key));
            }
            byTime.add(new Entry(expireAt, key));
            return expireAt;
        });
    }

    /**
     * Takes out up to {@code max} keys whose time is at or before {@code now}, earliest first.
     * Called by one thread at a time.
     */
    public List<byte[]> takeDue(long now, int max) {
        List<byte[]> due = new ArrayList<>();
        Iterator<Entry> it = byTime.iterator();
        while (due.size() < max && it.hasNext()) {
            Entry e = it.next();
            if (e.at() > now) {
                break;
            }
            byKey.computeIfPresent(ByteBuffer.wrap(e.key()), (k, at) -> {
                if (at != e.at()) {
                    return at; // changed since the iterator saw it: its new entry is the one that counts
                }
                byTime.remove(e);
                bytes.addAndGet(-cost(e.key()));
                due.add(e.key());
                return null;
            });
        }
        return due;
    }

    /** Every key was deleted (FLUSHDB, FLUSHALL). */
    public void clear() {
        for (ByteBuffer k : byKey.keySet()) {
            note(k.array(), 0); // (each map key wraps a whole key array)
        }
    }

    /** Whether the index refused a key since the last call (then a sweep is to find what it lacks). */
    public boolean takeOverflow() {
        return overflowed.getAndSet(false);
    }

    /** How many keys it holds. */
    public int size() {
        return byKey.size();
    }

    /** The bytes its keys take, by the estimate that bounds it. */
    public long bytes() {
        return bytes.get();
    }

    private static long cost(byte[] key) {
        return key.length + (long) ENTRY_BYTES;
    }
}
