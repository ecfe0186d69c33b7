package io.strata.db;

import io.strata.Options;
import io.strata.ReadOptions;
import io.strata.Snapshot;
import io.strata.StrataDb;
import io.strata.StrataException;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import io.strata.WriteOptions;
import io.strata.cache.BlockCache;
import io.strata.cache.TableCache;
import io.strata.fs.FileSystem;
import io.strata.iterator.InternalIterator;
import io.strata.iterator.MergingIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.memtable.MemTable;
import io.strata.sstable.Table;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;
import io.strata.version.Version;
import io.strata.version.VersionEdit;
import io.strata.version.VersionSet;
import io.strata.wal.LogWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine behind {@link StrataDb}.
 *
 * <p><b>Writes</b> go through a group-commit queue ({@link #writers}): the writer at its head
 * is the leader; it takes the batches queued behind it, assigns their sequences, appends one
 * WAL record (fsynced if any of them asked), inserts into the active memtable, publishes the
 * new {@link #lastSequence} and wakes the others. The leader does that I/O without the mutex:
 * being the head of the queue is what gives it sole use of {@link #wal} and of memtable
 * inserts.
 *
 * <p><b>Reads</b> take no lock: they read {@link #lastSequence}, then {@link #readState}.
 *
 * <p><b>Flushes</b> run on one background thread, oldest immutable memtable first, outside
 * the mutex; a failed flush keeps the memtable readable and its WAL segment, and is retried
 * with backoff.
 *
 * <p>{@link #mutex} is never held during file I/O, nor while waiting for the
 * {@link VersionSet} monitor (held during MANIFEST writes): what is read from the VersionSet
 * under the mutex is volatile there.
 */
public final class DbImpl implements StrataDb {
    private static final Logger LOG = LoggerFactory.getLogger(DbImpl.class);
    /** A group stops growing past this many bytes, so one big group does not delay small writes long. */
    private static final int MAX_GROUP_BYTES = 1 << 20;

    private final Path dir;
    private final Options options;
    private final FileSystem fs;
    private final Closeable dirLock;
    private final VersionSet versions;
    private final TableCache tables;
    private final SnapshotList snapshots = new SnapshotList();
    private final Thread flushThread;

    private final ReentrantLock mutex = new ReentrantLock();
    /** Signalled when a flush installs, a background error changes, or the store closes. */
    private final Condition stateChanged = mutex.newCondition();
    /** Signalled when an immutable memtable is queued, or the store closes. */
    private final Condition flushWork = mutex.newCondition();

    /** The group-commit queue; the head is the leader. Guarded by mutex. */
    private final ArrayDeque<Writer> writers = new ArrayDeque<>();
    /** The WAL segment of the active memtable. Used only by the leader; swapped under mutex. */
    private LogWriter wal;
    /** Written under mutex; read lock-free. */
    private volatile ReadState readState;
    /** The newest sequence whose write is in a memtable and visible. Written under mutex by the leader. */
    private volatile long lastSequence;
    /** Why flushes or writes are failing, or null. Written under mutex. */
    private volatile Throwable backgroundError;
    /** Whether {@link #backgroundError} stops all writes until reopen (a WAL failure). Guarded by mutex. */
    private boolean writesDisabled;
    private volatile boolean closed;

    private final AtomicLong stallCount = new AtomicLong();
    private final AtomicLong stallNanos = new AtomicLong();
    private final AtomicLong flushCount = new AtomicLong();
    private final AtomicLong flushFailures = new AtomicLong();

    private DbImpl(Path dir, Options options, Closeable dirLock, VersionSet versions, TableCache tables,
                   LogWriter wal, MemTable active, long lastSequence) {
        this.dir = dir;
        this.options = options;
        this.fs = options.fileSystem();
        this.dirLock = dirLock;
        this.versions = versions;
        this.tables = tables;
        this.wal = wal;
        this.lastSequence = lastSequence;
        this.readState = new ReadState(active, List.of(), versions.current());
        this.flushThread = new Thread(this::flushLoop, "strata-flush-" + dir.getFileName());
        this.flushThread.setDaemon(true);
    }

    public static DbImpl open(Path dir, Options options) {
        Recovery.Result r = Recovery.run(dir, options);
        DbImpl db = new DbImpl(dir, options, r.dirLock(), r.versions(), r.tables(), r.wal(),
                new MemTable(r.walNumber()), r.lastSequence());
        db.flushThread.start();
        return db;
    }

    // ---- writes ----

    @Override
    public void put(byte[] key, byte[] value) {
        put(key, value, new WriteOptions());
    }

    @Override
    public void put(byte[] key, byte[] value, WriteOptions options) {
        write(new WriteBatch().put(key, value), options);
    }

    @Override
    public void delete(byte[] key) {
        delete(key, new WriteOptions());
    }

    @Override
    public void delete(byte[] key, WriteOptions options) {
        write(new WriteBatch().delete(key), options);
    }

    @Override
    public void write(WriteBatch batch) {
        write(batch, new WriteOptions());
    }

    @Override
    public void write(WriteBatch batch, WriteOptions writeOptions) {
        if (batch == null || writeOptions == null) {
            throw new IllegalArgumentException("batch and write options must not be null");
        }
        if (batch.count() == 0) {
            checkOpen();
            return;
        }
        commit(new Writer(batch, writeOptions.sync() || options.syncWal(), mutex.newCondition()));
    }

    private void commit(Writer w) {
        mutex.lock();
        try {
            checkOpen();
            writers.addLast(w);
            while (!w.done && writers.peekFirst() != w) {
                w.wakeup.awaitUninterruptibly();
            }
            if (!w.done) {
                lead(w);
            }
            if (w.error != null) {
                throw w.error;
            }
        } finally {
            mutex.unlock();
        }
    }

    /** Runs a commit group with {@code leader} at the head of the queue. Called with mutex held. */
    private void lead(Writer leader) {
        List<Writer> group = List.of(leader);
        RuntimeException error = null;
        try {
            makeRoomForWrite(leader.batch == null);
            if (leader.batch != null) {
                group = takeGroup();
                appendAndInsert(group);
            }
        } catch (RuntimeException e) {
            error = e;
        }
        for (Writer w : group) {
            writers.removeFirst();
            w.error = error;
            w.done = true;
            if (w != leader) {
                w.wakeup.signal();
            }
        }
        Writer next = writers.peekFirst();
        if (next != null) {
            next.wakeup.signal();
        } else {
            stateChanged.signalAll();
        }
    }

    private List<Writer> takeGroup() {
        List<Writer> group = new ArrayList<>();
        long bytes = 0;
        for (Writer w : writers) {
            if (w.batch == null || (!group.isEmpty() && bytes + w.batch.encodedSize() > MAX_GROUP_BYTES)) {
                break;
            }
            group.add(w);
            bytes += w.batch.encodedSize();
        }
        return group;
    }

    /** Logs the group as one WAL record and inserts it; the I/O runs with mutex released. */
    private void appendAndInsert(List<Writer> group) {
        int size = 0;
        boolean sync = false;
        for (Writer w : group) {
            size += w.batch.encodedSize();
            sync |= w.sync;
        }
        byte[] record = new byte[size];
        long seq = lastSequence + 1;
        int off = 0;
        for (Writer w : group) {
            w.batch.encodeInto(record, off, seq);
            off += w.batch.encodedSize();
            seq += w.batch.count();
        }
        LogWriter log = wal;
        MemTable mem = readState.active();
        mutex.unlock();
        try {
            log.addRecord(record);
        } catch (LogWriter.BrokenLogException e) {
            mutex.lock();
            throw disableWrites("a partial record could not be removed from the write-ahead log", e);
        } catch (IOException e) {
            mutex.lock();
            throw new StrataException("write failed: could not append to the write-ahead log "
                    + FileNames.wal(mem.walNumber()) + " (nothing was written): " + e.getMessage(), e);
        }
        if (sync) {
            try {
                log.sync();
            } catch (IOException e) {
                mutex.lock();
                throw disableWrites("the write-ahead log could not be synced", e);
            }
        }
        try {
            BatchDecoder.apply(record, mem, FileNames.wal(mem.walNumber()));
        } finally {
            mutex.lock();
        }
        lastSequence = seq - 1;
    }

    /**
     * Stops all writes after a WAL failure whose effect on the log is unknown (a failed sync,
     * a partial record that could not be removed): the store keeps serving reads and must be
     * reopened, which recovers from what is on disk. Returns the error for the current write.
     */
    private StrataException disableWrites(String reason, IOException cause) {
        writesDisabled = true;
        backgroundError = cause;
        stateChanged.signalAll();
        LOG.error("{}: {}; the store at {} takes no more writes until it is reopened", reason, cause.toString(), dir);
        return new StrataException(reason + "; the store takes no more writes until it is reopened: "
                + cause.getMessage(), cause);
    }

    /**
     * Makes sure the active memtable has room, swapping it for a fresh one when it is full (or
     * when {@code force} and it holds anything). Stalls while the immutable queue is full.
     * Called by the leader with mutex held.
     */
    private void makeRoomForWrite(boolean force) {
        long stallStart = 0;
        try {
            while (true) {
                checkWritable();
                ReadState s = readState;
                boolean full = s.active().approximateMemoryUsage() >= options.writeBufferSize();
                if (force ? s.active().isEmpty() : !full) {
                    return;
                }
                if (s.immutables().size() >= options.maxImmutableMemtables()) {
                    Throwable error = backgroundError;
                    if (error != null) {
                        throw new StrataException("writes stopped: " + s.immutables().size()
                                + " memtables wait for a flush that is failing (retried in the background): "
                                + error.getMessage(), error);
                    }
                    if (stallStart == 0) {
                        stallStart = System.nanoTime();
                        stallCount.incrementAndGet();
                        LOG.warn("write stall: {} immutable memtables wait for flush (limit {})",
                                s.immutables().size(), options.maxImmutableMemtables());
                    }
                    stateChanged.awaitUninterruptibly();
                    continue;
                }
                swapMemtable();
                force = false;
            }
        } finally {
            if (stallStart != 0) {
                long nanos = System.nanoTime() - stallStart;
                stallNanos.addAndGet(nanos);
                LOG.info("write stall ended after {} ms", TimeUnit.NANOSECONDS.toMillis(nanos));
            }
        }
    }

    /**
     * Makes the active memtable immutable and starts a new one with its own WAL segment. The
     * old segment is fsynced first, so a crash can only ever tear the newest segment.
     */
    private void swapMemtable() {
        long number = versions.newFileNumber();
        LogWriter old = wal;
        LogWriter next;
        mutex.unlock();
        try {
            try {
                old.sync();
            } catch (IOException e) {
                mutex.lock();
                throw disableWrites("the write-ahead log could not be synced", e);
            }
            next = createWal(fs, dir, number);
            closeQuietly(old);
        } catch (IOException e) {
            mutex.lock();
            throw new StrataException("write failed: cannot start WAL segment " + FileNames.wal(number)
                    + ": " + e.getMessage(), e);
        }
        mutex.lock();
        wal = next;
        ReadState s = readState;
        List<MemTable> imms = new ArrayList<>(s.immutables().size() + 1);
        imms.add(s.active());
        imms.addAll(s.immutables());
        readState = new ReadState(new MemTable(number), List.copyOf(imms), s.version());
        flushWork.signal();
    }

    static LogWriter createWal(FileSystem fs, Path dir, long number) throws IOException {
        Path path = dir.resolve(FileNames.wal(number));
        LogWriter writer = new LogWriter(fs.create(path));
        try {
            fs.syncDirectory(dir);
        } catch (IOException e) {
            closeQuietly(writer);
            fs.delete(path);
            throw e;
        }
        return writer;
    }

    private void checkWritable() {
        checkOpen();
        if (writesDisabled) {
            Throwable e = backgroundError;
            throw new StrataException("the store takes no more writes after a write-ahead-log failure; "
                    + "reopen it to recover: " + e.getMessage(), e);
        }
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the store at " + dir + " is closed");
        }
    }

    // ---- flush ----

    @Override
    public void flush() {
        commit(new Writer(null, false, mutex.newCondition()));
        mutex.lock();
        try {
            long target = readState.active().walNumber();
            while (versions.logNumber() < target) {
                checkOpen();
                Throwable error = backgroundError;
                if (error != null) {
                    throw new StrataException("flush failed (it is retried in the background; the data is safe "
                            + "in the memtable and its WAL): " + error.getMessage(), error);
                }
                stateChanged.awaitUninterruptibly();
            }
        } finally {
            mutex.unlock();
        }
    }

    private void flushLoop() {
        long delayNanos = options.flushRetryInitialDelay().toNanos();
        while (true) {
            MemTable mem;
            mutex.lock();
            try {
                while (!closed && readState.immutables().isEmpty()) {
                    flushWork.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                List<MemTable> imms = readState.immutables();
                mem = imms.get(imms.size() - 1);
            } finally {
                mutex.unlock();
            }
            try {
                flushOldest(mem);
                delayNanos = options.flushRetryInitialDelay().toNanos();
            } catch (IOException | RuntimeException e) {
                flushFailures.incrementAndGet();
                LOG.error("flush of memtable for {} failed; retrying in {} ms", FileNames.wal(mem.walNumber()),
                        TimeUnit.NANOSECONDS.toMillis(delayNanos), e);
                mutex.lock();
                try {
                    if (!writesDisabled) {
                        backgroundError = e;
                    }
                    stateChanged.signalAll();
                    long remaining = delayNanos;
                    while (!closed && remaining > 0) {
                        remaining = flushWork.awaitNanos(remaining);
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    mutex.unlock();
                }
                delayNanos = Math.min(delayNanos * 2, options.flushRetryMaxDelay().toNanos());
            }
        }
    }

    /** Writes {@code mem}, the oldest immutable memtable, to L0 and installs it. */
    private void flushOldest(MemTable mem) throws IOException {
        FileMetaData file = Level0Writer.write(mem, versions.newFileNumber(), fs, dir, options);
        long nextWal;
        long sequence;
        mutex.lock();
        try {
            List<MemTable> imms = readState.immutables();
            nextWal = imms.size() > 1 ? imms.get(imms.size() - 2).walNumber() : readState.active().walNumber();
            sequence = lastSequence;
        } finally {
            mutex.unlock();
        }
        // A failed edit may be on disk already, so its file is kept; the next open removes it
        // if no MANIFEST names it.
        Version version = versions.logAndApply(
                new VersionEdit().addFile(0, file).logNumber(nextWal).lastSequence(sequence));
        mutex.lock();
        try {
            ReadState s = readState;
            List<MemTable> imms = new ArrayList<>(s.immutables());
            imms.remove(mem);
            readState = new ReadState(s.active(), List.copyOf(imms), version);
            if (!writesDisabled) {
                backgroundError = null;
            }
            stateChanged.signalAll();
        } finally {
            mutex.unlock();
        }
        flushCount.incrementAndGet();
        try {
            fs.delete(dir.resolve(FileNames.wal(mem.walNumber())));
        } catch (IOException e) {
            LOG.warn("could not delete {} (removed at next open): {}", FileNames.wal(mem.walNumber()), e.toString());
        }
    }

    // ---- reads ----

    @Override
    public byte[] get(byte[] key) {
        return get(key, new ReadOptions());
    }

    @Override
    public byte[] get(byte[] key, ReadOptions readOptions) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        checkOpen();
        long sequence = readSequence(readOptions);
        ReadState s = readState;
        byte[] seekKey = InternalKey.seekKey(key, sequence);
        Map.Entry<byte[], byte[]> e = s.active().get(seekKey);
        for (int i = 0; e == null && i < s.immutables().size(); i++) {
            e = s.immutables().get(i).get(seekKey);
        }
        if (e != null) {
            // Memtable arrays are shared with other readers: hand out a copy.
            return InternalKey.type(e.getKey()) == ValueType.VALUE ? e.getValue().clone() : null;
        }
        Table.Entry te = s.version().get(seekKey, tables);
        return te != null && InternalKey.type(te.key()) == ValueType.VALUE ? te.value() : null;
    }

    private long readSequence(ReadOptions readOptions) {
        if (readOptions == null) {
            throw new IllegalArgumentException("read options must not be null");
        }
        Snapshot snap = readOptions.snapshot();
        if (snap == null) {
            return lastSequence;
        }
        if (!(snap instanceof SnapshotList.SnapshotImpl impl) || impl.owner != this) {
            throw new IllegalArgumentException("the snapshot does not belong to this store");
        }
        if (impl.released()) {
            throw new IllegalStateException("the snapshot is closed");
        }
        return snap.sequence();
    }

    @Override
    public Snapshot snapshot() {
        checkOpen();
        return snapshots.take(lastSequence, this);
    }

    @Override
    public StrataIterator iterator() {
        return iterator(new ReadOptions());
    }

    @Override
    public StrataIterator iterator(ReadOptions readOptions) {
        checkOpen();
        long sequence = readSequence(readOptions);
        ReadState s = readState;
        List<InternalIterator> sources = new ArrayList<>();
        sources.add(s.active().iterator());
        for (MemTable imm : s.immutables()) {
            sources.add(imm.iterator());
        }
        try {
            s.version().addIterators(sources, tables);
        } catch (RuntimeException e) {
            // A table failed to open: release the tables already held.
            for (InternalIterator it : sources) {
                it.close();
            }
            throw e;
        }
        return new DbIterator(new MergingIterator(sources), sequence, readOptions.lowerBound(),
                readOptions.upperBound(), this);
    }

    // ---- properties ----

    @Override
    public String getProperty(String name) {
        checkOpen();
        ReadState s = readState;
        String levelPrefix = "strata.num-files-at-level";
        if (name.startsWith(levelPrefix)) {
            try {
                int level = Integer.parseInt(name.substring(levelPrefix.length()));
                return level >= 0 && level < Version.NUM_LEVELS ? Integer.toString(s.version().numFiles(level)) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return switch (name) {
            case "strata.num-immutable-memtables" -> Integer.toString(s.immutables().size());
            case "strata.last-sequence" -> Long.toString(lastSequence);
            case "strata.memtable-bytes" -> Long.toString(memtableBytes(s));
            case "strata.write-stalls" -> Long.toString(stallCount.get());
            case "strata.background-error" -> {
                Throwable e = backgroundError;
                yield e == null ? "" : e.toString();
            }
            case "strata.block-cache-hit-ratio" -> {
                BlockCache c = tables.blockCache();
                yield String.format("%.4f", c == null ? 0.0 : c.hitRatio());
            }
            case "strata.block-cache-usage" -> {
                BlockCache c = tables.blockCache();
                yield Long.toString(c == null ? 0 : c.usedBytes());
            }
            case "strata.open-tables" -> Integer.toString(tables.openFiles());
            case "strata.stats" -> stats(s);
            default -> null;
        };
    }

    private static long memtableBytes(ReadState s) {
        long bytes = s.active().approximateMemoryUsage();
        for (MemTable m : s.immutables()) {
            bytes += m.approximateMemoryUsage();
        }
        return bytes;
    }

    private String stats(ReadState s) {
        StringBuilder sb = new StringBuilder();
        sb.append("Level  Files  Bytes\n");
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            sb.append(String.format("L%-5d %-6d %d%n", level, s.version().numFiles(level),
                    s.version().levelBytes(level)));
        }
        Throwable e = backgroundError;
        sb.append(String.format("memtables: active %d bytes, %d immutable, %d bytes in all%n",
                s.active().approximateMemoryUsage(), s.immutables().size(), memtableBytes(s)));
        sb.append(String.format("flushes: %d, failed attempts: %d%n", flushCount.get(), flushFailures.get()));
        sb.append(String.format("write stalls: %d, %d ms in all%n", stallCount.get(),
                TimeUnit.NANOSECONDS.toMillis(stallNanos.get())));
        sb.append(String.format("last sequence: %d, live snapshots: %d%n", lastSequence, snapshots.size()));
        BlockCache c = tables.blockCache();
        if (c == null) {
            sb.append("block cache: disabled\n");
        } else {
            sb.append(String.format("block cache: %d of %d bytes in %d blocks, %d hits, %d misses, hit ratio %.4f%n",
                    c.usedBytes(), c.capacity(), c.blockCount(), c.hits(), c.misses(), c.hitRatio()));
        }
        sb.append(String.format("table cache: %d open tables (limit %d), %d opens, %d bytes of index and filter blocks%n",
                tables.openFiles(), tables.maxOpenFiles(), tables.opens(), tables.pinnedBytes()));
        sb.append("background error: ").append(e == null ? "none" : e.toString()).append('\n');
        return sb.toString();
    }

    // ---- close ----

    @Override
    public void close() {
        mutex.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            stateChanged.signalAll();
            flushWork.signalAll();
            while (!writers.isEmpty()) {
                stateChanged.awaitUninterruptibly();
            }
        } finally {
            mutex.unlock();
        }
        boolean interrupted = false;
        while (true) {
            try {
                flushThread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        StrataException failure = null;
        try {
            wal.sync();
        } catch (IOException e) {
            failure = new StrataException("closing " + dir + ": could not sync the write-ahead log: "
                    + e.getMessage(), e);
        } finally {
            // Closed even when the sync failed, so a failing device does not leak the handle.
            closeQuietly(wal);
        }
        try {
            versions.close();
        } catch (IOException e) {
            LOG.warn("closing the MANIFEST of {}: {}", dir, e.toString());
        }
        tables.close();
        closeQuietly(dirLock);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.info("closed store at {} (last sequence {})", dir, lastSequence);
        if (failure != null) {
            throw failure;
        }
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "StrataDb(" + dir + ")";
    }
}
