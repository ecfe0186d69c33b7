package io.strata.server.store;

import io.strata.Limits;
import io.strata.ReadOptions;
import io.strata.StrataDb;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import io.strata.server.filter.WriteFilters;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The server's view of the engine: Redis keys are engine keys as they are, values carry the
 * {@link ValueCodec} header, and a key whose expiry has passed is absent to every reader at
 * once (compaction reclaims its bytes later, through {@link ExpiredValueFilter}).
 *
 * <p>Atomicity: every command that writes takes the striped lock of each key it touches
 * (stripes taken in ascending order, so multi-key commands cannot deadlock), and holds it
 * around its read-modify-write, so concurrent INCRs, APPENDs, SETNXs, ... never lose an
 * update. Reads take no lock: the engine gives each a consistent view.
 */
public final class Keyspace {
    private static final int STRIPES = 1024;

    private final StrataDb db;
    private final LongSupplier clock;
    private final WriteFilters filters;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    public Keyspace(StrataDb db, LongSupplier clock) {
        this(db, clock, WriteFilters.NONE);
    }

    /** @param filters run over every value a command writes ({@link #put}, {@link #filter}) */
    public Keyspace(StrataDb db, LongSupplier clock, WriteFilters filters) {
        this.db = db;
        this.clock = clock;
        this.filters = filters;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public StrataDb db() {
        return db;
    }

    /** Epoch milliseconds, the clock expiries are measured on. */
    public long now() {
        return clock.getAsLong();
    }

    /** True for a key the engine can hold: 1 byte to 64 KiB. */
    public static boolean storable(byte[] key) {
        return key.length > 0 && key.length <= Limits.MAX_KEY_SIZE;
    }

    /** The live value of {@code key}, or null if it is absent or expired. */
    public StoredValue get(byte[] key) {
        if (!storable(key)) {
            return null;
        }
        return decodeLive(db.get(key), now());
    }

    /** Decodes an engine value; null if it is null or expired at {@code now}. */
    public static StoredValue decodeLive(byte[] raw, long now) {
        if (raw == null) {
            return null;
        }
        long expireAt = ValueCodec.expireAt(raw);
        if (expireAt != 0 && expireAt <= now) {
            return null;
        }
        return new StoredValue(raw, ValueCodec.payloadOffset(raw), expireAt);
    }

    /**
     * Stores a value a command wrote, after the write filters: they may store another value
     * instead, or refuse it with {@link io.strata.server.filter.WriteRejectedException}.
     */
    public void put(byte[] key, byte[] payload, long expireAt) {
        db.put(key, ValueCodec.encode(filter(key, payload), expireAt));
    }

    /** Stores a value that is already stored, with another expiry: no filter runs. */
    public void putExpiry(byte[] key, StoredValue value, long expireAt) {
        db.put(key, ValueCodec.encode(value.raw(), value.offset(), value.length(), expireAt));
    }

    /** The value the write filters let a command store for {@code key} (the same array if none changes it). */
    public byte[] filter(byte[] key, byte[] payload) {
        return filters.isEmpty() ? payload : filters.apply(key, payload);
    }

    public WriteFilters filters() {
        return filters;
    }

    public void delete(byte[] key) {
        db.delete(key);
    }

    public void write(WriteBatch batch) {
        db.write(batch);
    }

    public StrataIterator iterator(byte[] lowerBound) {
        return db.iterator(new ReadOptions().lowerBound(lowerBound));
    }

    // ---- locking ----

    private static int stripe(byte[] key) {
        int h = Arrays.hashCode(key);
        h ^= h >>> 16;
        return h & (STRIPES - 1);
    }

    /** Holds the stripe locks of a set of keys; close releases them. */
    public final class Locked implements AutoCloseable {
        private final int[] held;

        private Locked(int[] stripes) {
            this.held = stripes;
        }

        @Override
        public void close() {
            for (int i = held.length - 1; i >= 0; i--) {
                locks[held[i]].unlock();
            }
        }
    }

    /** Locks the stripe of one key. */
    public Locked lock(byte[] key) {
        int s = stripe(key);
        locks[s].lock();
        return new Locked(new int[] {s});
    }

    /** Locks the stripes of {@code keys[from], keys[from + step], ...} in ascending order. */
    public Locked lock(byte[][] keys, int from, int step) {
        int[] stripes = new int[(keys.length - from + step - 1) / step];
        int n = 0;
        for (int i = from; i < keys.length; i += step) {
            stripes[n++] = stripe(keys[i]);
        }
        return lockStripes(stripes, n);
    }

    /** Locks the stripes of the given keys in ascending order. */
    public Locked lock(java.util.List<byte[]> keys) {
        int[] stripes = new int[keys.size()];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = stripe(keys.get(i));
        }
        return lockStripes(stripes, stripes.length);
    }

    private Locked lockStripes(int[] stripes, int n) {
        Arrays.sort(stripes, 0, n);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || stripes[distinct - 1] != stripes[i]) {
                stripes[distinct++] = stripes[i];
            }
        }
        int[] held = Arrays.copyOf(stripes, distinct);
        for (int s : held) {
            locks[s].lock();
        }
        return new Locked(held);
    }
}
