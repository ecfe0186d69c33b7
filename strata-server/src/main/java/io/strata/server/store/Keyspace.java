package io.strata.server.store;

import io.strata.Limits;
import io.strata.ReadOptions;
import io.strata.StrataDb;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import io.strata.server.filter.WriteFilters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

/**
 * The server's view of the engine: Redis keys are engine keys as they are, values carry the
 * {@link ValueCodec} header, and a key whose expiry has passed is absent to every reader at
 * once (compaction reclaims its bytes later, through {@link ExpiredValueFilter}).
 *
 * <p>Atomicity: every command that writes takes the striped lock of each key it touches
 * (stripes taken in ascending order, so multi-key commands cannot deadlock), and holds it
 * around its read-modify-write, so concurrent INCRs, APPENDs, SETNXs, ... never lose an
 * update. The locks guard no field here but the store's value of each key: every method that
 * writes one asserts that the caller holds its stripe. Reads take no lock: the engine gives
 * each a consistent view.
 *
 * <p>A blind write (one that reads nothing: SET without NX, XX, GET or KEEPTTL, SETEX, PSETEX,
 * MSET) takes its stripes shared ({@link #lockBlind}): blind writes of the same key need no
 * order between them but the one the engine (or the replicated log) gives them, while every
 * other write takes its stripes exclusively, so it never reads a key a blind write is still
 * writing. On a cluster node a command holds its stripes until the group has applied its
 * write, a whole Raft round, so that blind writes do not wait for each other there matters.
 *
 * <p>Every write stored here touches the watchers of its keys ({@link Watches}). A transaction
 * (EXEC) runs over a view of this keyspace ({@link #transaction}) whose writes stay in it until
 * {@link #commit} stores them as one batch.
 */
public final class Keyspace {
    private static final int STRIPES = 1024;

    /** Thread-safe: the engine. */
    private final StrataDb db;
    /** Read by every command thread: it must be thread-safe (the server's is System::currentTimeMillis). */
    private final LongSupplier clock;
    /** Immutable; the filters themselves must be thread-safe ({@link io.strata.server.filter.WriteFilter}). */
    private final WriteFilters filters;
    /**
     * The stripe locks: exclusive for writes that read, shared for blind writes. The array is
     * filled by the public constructor and never changes. A transaction's view shares its
     * keyspace's.
     */
    private final ReentrantReadWriteLock[] locks;
    /** Thread-safe: WATCH's registry; null in a transaction's view, whose writes are stored only by {@link #commit}. */
    private final Watches watches;
    /** Thread-safe: when the keys written with an expiry expire. Shared with the transaction views. */
    private final ExpiryIndex expiries;
    /** Keys this keyspace has stored (a transaction's view counts none: its commit does). */
    private final LongAdder changes = new LongAdder();
    /** The transaction this keyspace is the view of, or null for the server's keyspace. Confined to its EXEC. */
    private final OverlayStore overlay;
    /**
     * What a command runs, every {@link #WAIT_CHECK_MILLIS}, while it waits for a stripe lock
     * another thread holds (the server's: BUSY once a script holding every stripe has run too
     * long); it may throw to end the wait. Shared with the transaction views; set once by the server.
     */
    private final AtomicReference<Runnable> whileWaiting;

    /** How often a command waiting for a stripe lock runs {@link #whileWaiting}. */
    static final long WAIT_CHECK_MILLIS = 10;

    public Keyspace(StrataDb db, LongSupplier clock) {
        this(db, clock, WriteFilters.NONE);
    }

    /** @param filters run over every value a command writes ({@link #put}, {@link Writes#put}) */
    public Keyspace(StrataDb db, LongSupplier clock, WriteFilters filters) {
        this(db, clock, filters, newLocks(), new Watches(), new ExpiryIndex(), null, new AtomicReference<>(() -> {}));
    }

    private Keyspace(
            StrataDb db,
            LongSupplier clock,
            WriteFilters filters,
            ReentrantReadWriteLock[] locks,
            Watches watches,
            ExpiryIndex expiries,
            OverlayStore overlay,
            AtomicReference<Runnable> whileWaiting) {
        this.db = db;
        this.whileWaiting = whileWaiting;
        this.clock = clock;
        this.filters = filters;
        this.locks = locks;
        this.watches = watches;
        this.expiries = expiries;
        this.overlay = overlay;
    }

    private static ReentrantReadWriteLock[] newLocks() {
        ReentrantReadWriteLock[] locks = new ReentrantReadWriteLock[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantReadWriteLock();
        }
        return locks;
    }

    /**
     * A view for one transaction: reads see its own writes over this keyspace's store, and its
     * writes stay in it until {@link #commit}. Called with every stripe lock held ({@link #lockAll}),
     * which the view's commands take again (the locks are reentrant) and nothing else can.
     */
    public Keyspace transaction() {
        assert overlay == null : "a transaction inside a transaction";
        OverlayStore view = new OverlayStore(db);
        return new Keyspace(view, clock, filters, locks, null, expiries, view, whileWaiting);
    }

    /** Whether this is a transaction's view ({@link #transaction}). */
    public boolean inTransaction() {
        return overlay != null;
    }

    /**
     * Stores what the transaction {@code view} wrote as one batch (one replicated entry on a
     * cluster node), or nothing if it wrote nothing; returns whether it wrote anything. Called
     * with every stripe lock held. Throws what the store throws, having stored nothing (or, on a
     * cluster node whose write timed out, not knowing), or if the writes outgrew one batch.
     */
    public boolean commit(Keyspace view) {
        assert view.overlay != null && view.locks == locks : "not a view of this keyspace";
        if (view.overlay.tooLarge() != null) {
            throw new IllegalArgumentException(view.overlay.tooLarge().substring("ERR ".length()));
        }
        Writes writes = writes();
        view.overlay.addTo(writes);
        if (writes.count() == 0) {
            return false;
        }
        write(writes);
        return true;
    }

    /** WATCH's registry (the server keyspace's: a transaction's view has none). */
    public Watches watches() {
        return watches;
    }

    /** When the keys written with an expiry expire: what the active expiry takes its keys from. */
    public ExpiryIndex expiries() {
        return expiries;
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

    /**
     * The live value of {@code key}, or null if it is absent or expired. An expired value found
     * is handed to the active expiry, which deletes it at its next round.
     */
    public StoredValue get(byte[] key) {
        return get(key, ANY_READ);
    }

    /**
     * As {@link #get}, from memory only (for an I/O thread, which must not block): throws {@link
     * io.strata.NotCachedException}, having done nothing, where the engine would read a file.
     */
    public StoredValue getCached(byte[] key) {
        return get(key, CACHED_READ);
    }

    private static final ReadOptions ANY_READ = new ReadOptions();
    private static final ReadOptions CACHED_READ = new ReadOptions().cachedOnly(true);

    private StoredValue get(byte[] key, ReadOptions how) {
        if (!storable(key)) {
            return null;
        }
        byte[] raw = db.get(key, how);
        StoredValue live = decodeLive(raw, now());
        if (live == null && raw != null) {
            expiries.note(key, ValueCodec.expireAt(raw));
        }
        return live;
    }

    /** Decodes an engine value; null if it is null or expired at {@code now}. */
    public static StoredValue decodeLive(byte[] raw, long now) {
        if (raw == null) {
            return null;
        }
        long expireAt = ValueCodec.expireAt(raw);
        if (ValueCodec.expired(expireAt, now)) {
            return null;
        }
        return new StoredValue(raw, ValueCodec.payloadOffset(raw), expireAt);
    }

    /**
     * Stores a value a command wrote, after the write filters: they may store another value
     * instead, or refuse it with {@link io.strata.server.filter.WriteRejectedException}. Called
     * with the key's stripe lock held.
     */
    public void put(byte[] key, byte[] payload, long expireAt) {
        assert holds(key) : "put without the key's lock";
        byte[] value = encode(key, payload, expireAt);
        expiries.note(key, expireAt);
        try {
            db.put(key, value);
        } finally {
            touch(key, false);
        }
    }

    /** The engine value of a write of {@code payload}: what the write filters let it store, with the header. */
    byte[] encode(byte[] key, byte[] payload, long expireAt) {
        return ValueCodec.encode(filters.isEmpty() ? payload : filters.apply(key, payload), expireAt);
    }

    /** The writes of one command, to fill and then {@link #write}. */
    public Writes writes() {
        return new Writes(this);
    }

    /**
     * Gives a live value the expiry {@code at} (epoch ms; no filter runs: the value is stored
     * already); a time not after now deletes the key, as EXPIRE does in Redis (0 is such a time
     * here, not "no expiry"). Called with the key's stripe lock held.
     */
    public void expire(byte[] key, StoredValue value, long at) {
        assert holds(key) : "expiry change without the key's lock";
        if (at <= now()) {
            delete(key);
        } else {
            putExpiry(key, value, at);
        }
    }

    /** Removes a live value's expiry. Called with the key's stripe lock held. */
    public void persist(byte[] key, StoredValue value) {
        assert holds(key) : "expiry change without the key's lock";
        putExpiry(key, value, 0);
    }

    private void putExpiry(byte[] key, StoredValue value, long expireAt) {
        expiries.note(key, expireAt);
        try {
            db.put(key, ValueCodec.encode(value.raw(), value.offset(), value.length(), expireAt));
        } finally {
            touch(key, false);
        }
    }

    public WriteFilters filters() {
        return filters;
    }

    /** Called with the key's stripe lock held. */
    public void delete(byte[] key) {
        assert holds(key) : "delete without the key's lock";
        expiries.note(key, 0);
        try {
            db.delete(key);
        } finally {
            touch(key, true);
        }
    }

    /** Applies one command's writes atomically. Called with the stripe locks of all their keys held. */
    public void write(Writes writes) {
        assert holds(writes.keys()) : "writes without their keys' locks";
        if (overlay != null) {
            writes.forEach(overlay::put, overlay::delete);
            return;
        }
        WriteBatch batch = new WriteBatch();
        writes.addTo(batch);
        try {
            db.write(batch);
        } finally {
            writes.forEach((key, value) -> touch(key, false), key -> touch(key, true));
        }
    }

    /**
     * Applies a batch that writes {@code keys} (and no other key) atomically: the connection's
     * gathered blind writes. Called with their stripe locks held; never in a transaction.
     */
    public void write(WriteBatch batch, List<byte[]> keys) {
        assert holds(keys) : "batch without its keys' locks";
        assert overlay == null : "a gathered batch in a transaction";
        try {
            db.write(batch);
        } finally {
            for (byte[] key : keys) {
                touch(key, false); // (one whose expiry has passed deletes: as a write, it touches every watcher)
            }
        }
    }

    /**
     * Deletes every key by {@code clear} (FLUSHDB on a cluster node: one replicated entry), and
     * touches the watchers of the keys it held. Called with every stripe lock held.
     */
    public void clear(Runnable clear) {
        assert overlay == null : "a replicated clear in a transaction";
        List<byte[]> existing = new ArrayList<>();
        for (byte[] key : watches.watchedKeys()) {
            if (storable(key) && db.get(key) != null) {
                existing.add(key);
            }
        }
        try {
            clear.run();
        } finally {
            expiries.clear();
            existing.forEach(key -> touch(key, true));
        }
    }

    private void touch(byte[] key, boolean deleted) {
        if (watches != null) {
            changes.increment();
            watches.touch(key, deleted);
        }
    }

    /**
     * How many key writes this keyspace has stored (or tried to: a failed store counts), each key
     * of a batch once: Redis's dirty counter, which INFO's rdb_changes_since_last_save reads.
     */
    public long changes() {
        return changes.sum();
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
        private final boolean shared;

        private Locked(int[] stripes, boolean shared) {
            this.held = stripes;
            this.shared = shared;
        }

        @Override
        public void close() {
            for (int i = held.length - 1; i >= 0; i--) {
                lockOf(held[i], shared).unlock();
            }
        }
    }

    private Lock lockOf(int stripe, boolean shared) {
        return shared ? locks[stripe].readLock() : locks[stripe].writeLock();
    }

    /**
     * Sets what a command runs while it waits for a stripe lock ({@link #whileWaiting}): if it
     * throws, the command stops waiting, holding none of the stripes it was taking.
     */
    public void whileWaiting(Runnable check) {
        whileWaiting.set(check);
    }

    /**
     * Takes a lock: at once if it is free, else waiting in steps of {@link #WAIT_CHECK_MILLIS},
     * checking between. The first try is a timed one with no wait: unlike {@code tryLock()} it
     * keeps the lock's queueing, so a shared lock does not overtake an exclusive one waiting.
     */
    private void acquire(Lock l) {
        try {
            if (l.tryLock(0, TimeUnit.NANOSECONDS)) {
                return;
            }
            Runnable check = whileWaiting.get();
            while (!l.tryLock(WAIT_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                check.run();
            }
        } catch (InterruptedException e) {
            l.lock(); // as before the check: a command's wait for its keys is not interruptible
            Thread.currentThread().interrupt();
        }
    }

    /** Locks the stripe of one key. */
    public Locked lock(byte[] key) {
        int s = stripe(key);
        acquire(locks[s].writeLock());
        return new Locked(new int[] {s}, false);
    }

    /** Locks the stripes of {@code keys[from], keys[from + step], ...} in ascending order. */
    public Locked lock(byte[][] keys, int from, int step) {
        int[] stripes = new int[(keys.length - from + step - 1) / step];
        int n = 0;
        for (int i = from; i < keys.length; i += step) {
            stripes[n++] = stripe(keys[i]);
        }
        return lockStripes(stripes, n, false);
    }

    /** Locks the stripes of the given keys in ascending order. */
    public Locked lock(List<byte[]> keys) {
        return lockStripes(stripesOf(keys), keys.size(), false);
    }

    /**
     * Locks the stripes of the keys of a blind write, shared, in ascending order: other blind
     * writes of those keys may run meanwhile, no other write may.
     */
    public Locked lockBlind(List<byte[]> keys) {
        return lockStripes(stripesOf(keys), keys.size(), true);
    }

    private static int[] stripesOf(List<byte[]> keys) {
        int[] stripes = new int[keys.size()];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = stripe(keys.get(i));
        }
        return stripes;
    }

    /** Locks every stripe, in ascending order: nothing else writes meanwhile (FLUSHDB on a cluster node). */
    public Locked lockAll() {
        int[] all = new int[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            all[i] = i;
        }
        return lockStripes(all, STRIPES, false);
    }

    /** Whether this thread holds the stripe lock of {@code key}, in either mode (for assertions). */
    private boolean holds(byte[] key) {
        ReentrantReadWriteLock l = locks[stripe(key)];
        return l.isWriteLockedByCurrentThread() || l.getReadHoldCount() > 0;
    }

    private boolean holds(List<byte[]> keys) {
        for (byte[] key : keys) {
            if (!holds(key)) {
                return false;
            }
        }
        return true;
    }

    private Locked lockStripes(int[] stripes, int n, boolean shared) {
        Arrays.sort(stripes, 0, n);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || stripes[distinct - 1] != stripes[i]) {
                stripes[distinct++] = stripes[i];
            }
        }
        int[] held = Arrays.copyOf(stripes, distinct);
        int taken = 0;
        try {
            for (int s : held) {
                acquire(lockOf(s, shared));
                taken++;
            }
        } catch (RuntimeException e) {
            for (int i = taken - 1; i >= 0; i--) {
                lockOf(held[i], shared).unlock();
            }
            throw e;
        }
        return new Locked(held, shared);
    }
}
