package io.strata.db;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.strata.DiskFullException;
import io.strata.Options;
import io.strata.ReadOnlyStoreException;
import io.strata.ReadOptions;
import io.strata.Snapshot;
import io.strata.Statistics;
import io.strata.StoreClosedException;
import io.strata.StrataDb;
import io.strata.StrataException;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import io.strata.WriteOptions;
import io.strata.WriteStallReason;
import io.strata.WritesStoppedException;
import io.strata.cache.TableCache;
import io.strata.compaction.Compaction;
import io.strata.compaction.CompactionPicker;
import io.strata.fs.FileSystem;
import io.strata.fs.IoErrors;
import io.strata.iterator.InternalIterator;
import io.strata.iterator.MergingIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.memtable.MemTable;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;
import io.strata.version.Version;
import io.strata.version.VersionEdit;
import io.strata.version.VersionSet;
import io.strata.wal.LogWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link StrataDb}.
 *
 * <p><b>Writes</b> go through the {@link CommitPipeline} (group commit); this class is its
 * {@link CommitPipeline.Env}: it makes room in the active memtable ({@link #makeRoomForWrite}:
 * swaps a full one for a fresh one with its own WAL segment, stalls while the immutable queue or
 * level 0 is full) and says where a group is logged and inserted.
 *
 * <p><b>Reads</b> take no lock: they read the pipeline's last sequence, then {@link #readState}.
 *
 * <p><b>Flushes</b> run on one background thread, oldest immutable memtable first, outside the
 * mutex; a failed flush keeps the memtable readable and its WAL segment, and is retried with
 * backoff.
 *
 * <p><b>Compactions</b> run on their own threads ({@link Options#compactionThreads()}), each
 * picking, under the mutex, a compaction that keeps clear of the running ones ({@link #running}), then merging
 * them without it.
 *
 * <p><b>Files</b> are deleted when no live {@link Version} lists them: the read state holds a
 * reference on its Version, and so does every get and iterator while it reads.
 *
 * <p><b>WAL off</b> ({@link Options#disableWal}): the pipeline runs with {@link UnloggedCommitEnv},
 * whose append and sync write nothing; {@link #wal} is null; memtables still take numbers (the
 * MANIFEST's log number counts the flushed ones) and are swapped and flushed as with the WAL, and
 * {@link #close} flushes them all. Each memtable keeps the marker of its newest batch, which its
 * flush records in the MANIFEST: {@link #durableMarker} reads it there.
 *
 * <p><b>Read-only</b> ({@link Options#readOnly}): opened by {@link ReadOnlyRecovery}, with no
 * lock, no WAL and no background thread; the replayed WAL is the active memtable, which no write
 * ever changes, and the Version never changes either, so no file is ever deleted. Every write path
 * throws ({@link #checkNotReadOnly}).
 *
 * <p><b>Locking.</b> {@link #mutex} guards the fields marked {@code @GuardedBy("mutex")} (Error
 * Prone checks every access); the fields read without it are volatile and written with it held.
 * The mutex is never held during file I/O, nor while waiting for the {@link VersionSet} monitor
 * (held during MANIFEST writes). A method that holds the mutex and must do I/O releases it for
 * that stretch alone, through {@link #unlocked}. Methods that need the mutex held say so with
 * {@code @GuardedBy("mutex")} and assert it.
 */
public final class DbImpl implements StrataDb {
    private static final Logger LOG = LoggerFactory.getLogger(DbImpl.class);

    private final Path dir;
    private final Options options;
    private final FileSystem fs;
    /** Whether the store was opened read-only: then dirLock and wal are null and no thread runs. */
    private final boolean readOnly;
    /** Whether the store runs without a WAL ({@link Options#disableWal}): then wal is null. */
    private final boolean walDisabled;
    /** The directory lock, or null when read-only. */
    private final Closeable dirLock;

    private final VersionSet versions;
    private final TableCache tables;
    private final SnapshotList snapshots = new SnapshotList();
    /** The flush thread and the compaction threads; none when read-only. */
    private final List<Thread> backgroundThreads = new ArrayList<>();

    private final ReentrantLock mutex = new ReentrantLock();
    /** Signalled when a flush installs, a background error changes, or the store closes. */
    private final Condition stateChanged = mutex.newCondition();
    /** Signalled when an immutable memtable is queued, or the store closes. */
    private final Condition flushWork = mutex.newCondition();
    /** Signalled when files are installed or freed for compaction, or the store closes. */
    private final Condition compactionWork = mutex.newCondition();

    private final CommitPipeline<CommitTarget> pipeline;

    /**
     * The WAL segment of the active memtable (null when read-only or with the WAL off). Only the commit leader writes
     * to it (the pipeline hands it out under the mutex); swapped under the mutex.
     */
    @GuardedBy("mutex")
    private LogWriter wal;

    /** What reads consult. Written under the mutex; read lock-free. */
    private volatile ReadState readState;

    /** Versions {@link #publish} replaced, whose references are dropped without the mutex. */
    @GuardedBy("mutex")
    private final List<Version> replaced = new ArrayList<>();

    /** Why flushes or writes are failing, or null. Written under the mutex. */
    private volatile Throwable backgroundError;

    /** Whether {@link #backgroundError} stops all writes until reopen (a WAL failure). */
    @GuardedBy("mutex")
    private boolean writesDisabled;

    /** Written under the mutex; read lock-free. */
    private volatile boolean closed;

    /** Set when close has stopped every thread and is about to release the directory lock. */
    private volatile boolean released;

    @GuardedBy("mutex")
    private final CompactionPicker picker;

    /** The compactions running now (the picker avoids their files and the ranges they write). */
    @GuardedBy("mutex")
    private final List<Compaction> running = new ArrayList<>();

    /** The compactRange step waiting for a compaction thread or being run by one, or null. */
    @GuardedBy("mutex")
    private ManualCompaction manual;

    /** Whether a compaction thread runs {@link #manual}. */
    @GuardedBy("mutex")
    private boolean manualRunning;

    /** Why the last compaction failed, or null after a success. Written under the mutex. */
    private volatile Throwable compactionError;

    /** Checkpoints in progress; while any runs, flushed WAL segments are kept. */
    @GuardedBy("mutex")
    private int checkpointsRunning;

    /** WAL segments flushed while a checkpoint ran, deleted when the last one ends. */
    @GuardedBy("mutex")
    private final List<Long> deferredWalDeletes = new ArrayList<>();

    private final WriteStalls stalls;
    private final EngineStats stats = new EngineStats();

    private DbImpl(Path dir, Options options, Recovery.Result r) {
        this.dir = dir;
        this.options = options;
        this.fs = options.fileSystem();
        this.readOnly = options.readOnly();
        this.walDisabled = options.disableWal();
        this.dirLock = r.dirLock();
        this.versions = r.versions();
        this.tables = r.tables();
        this.wal = r.wal();
        this.picker = new CompactionPicker(options);
        this.stalls = new WriteStalls(dir.toString());
        this.pipeline = new CommitPipeline<>(
                walDisabled ? new UnloggedCommitEnv() : new StoreCommitEnv(), r.lastSequence(), versions.marker());
        Version current = versions.current();
        current.ref();
        this.readState = new ReadState(r.active(), List.of(), current);
        if (readOnly) {
            return;
        }
        versions.onObsoleteFile(this::deleteObsoleteTable);
        backgroundThreads.add(new Thread(this::flushLoop, "strata-flush-" + dir.getFileName()));
        for (int i = 0; i < options.compactionThreads(); i++) {
            backgroundThreads.add(new Thread(this::compactionLoop, "strata-compact-" + dir.getFileName() + "-" + i));
        }
    }

    public static DbImpl open(Path dir, Options options) {
        options.validate();
        DbImpl db = new DbImpl(
                dir, options, options.readOnly() ? ReadOnlyRecovery.run(dir, options) : Recovery.run(dir, options));
        for (Thread t : db.backgroundThreads) {
            t.setDaemon(true);
            t.start();
        }
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
        checkNotReadOnly("write");
        if (batch.count() == 0 && batch.marker() == null) {
            return;
        }
        boolean sync = writeOptions.sync() || options.syncWal();
        if (sync && walDisabled) {
            // Refused rather than accepted unsynced: the caller asked for a durability this
            // store cannot give, and would otherwise believe it had it.
            throw new IllegalArgumentException("a synced write (WriteOptions.sync) cannot be honoured: the store at "
                    + dir + " runs without a write-ahead log (Options.disableWal), so a write is durable only once "
                    + "its memtable is flushed (StrataDb.flush); nothing was written");
        }
        pipeline.commit(batch, sync);
    }

    /** Where a commit group goes: the active memtable and its WAL segment, as the leader found them. */
    private record CommitTarget(LogWriter wal, MemTable mem) {}

    /** The store as the commit pipeline sees it: the leader calls it, without the mutex. */
    private class StoreCommitEnv implements CommitPipeline.Env<CommitTarget> {
        @Override
        public CommitTarget prepare(boolean swap) {
            CommitTarget target;
            List<Version> replacedVersions;
            mutex.lock();
            try {
                target = makeRoomForWrite(swap);
                replacedVersions = takeReplaced();
            } finally {
                mutex.unlock();
            }
            release(replacedVersions);
            return target;
        }

        @Override
        public void append(CommitTarget target, byte[] record) throws IOException {
            target.wal().addRecord(record);
        }

        @Override
        public void sync(CommitTarget target) throws IOException {
            target.wal().sync();
        }

        @Override
        public void apply(CommitTarget target, byte[] record, byte[] marker) {
            BatchDecoder.apply(
                    record, target.mem(), () -> FileNames.wal(target.mem().walNumber()));
            if (marker != null) {
                target.mem().marker(marker);
            }
        }

        @Override
        public RuntimeException failed(CommitTarget target, IOException cause, boolean syncing) {
            if (!syncing && !(cause instanceof LogWriter.BrokenLogException)) {
                return notWritten(
                        "could not append to the write-ahead log "
                                + FileNames.wal(target.mem().walNumber()),
                        cause);
            }
            mutex.lock();
            try {
                return disableWrites(
                        syncing
                                ? "the write-ahead log could not be synced"
                                : "a partial record could not be removed from the write-ahead log",
                        cause);
            } finally {
                mutex.unlock();
            }
        }
    }

    /**
     * The store without a WAL ({@link Options#disableWal}): nothing is logged, and a sync never
     * comes here ({@link #write} refuses it), so neither can fail.
     */
    private final class UnloggedCommitEnv extends StoreCommitEnv {
        @Override
        public void append(CommitTarget target, byte[] record) {
            // No log: the record goes to the memtable alone.
        }

        @Override
        public void sync(CommitTarget target) {
            throw new IllegalStateException("no write-ahead log to sync: synced writes are refused by write()");
        }
    }

    /**
     * The error of a write that failed before any of it reached the log (the log is as it was,
     * and the next write tries again). A full disk is named, with what the caller needs to know:
     * the data written before is safe and writes go on once space is freed.
     */
    private static StrataException notWritten(String what, IOException cause) {
        if (IoErrors.isNoSpace(cause)) {
            return new DiskFullException(
                    "write failed: the disk is full (" + cause.getMessage() + "): " + what
                            + "; nothing was written, the data written before is safe, and writes resume once "
                            + "space is freed",
                    cause);
        }
        return new StrataException("write failed: " + what + " (nothing was written): " + cause.getMessage(), cause);
    }

    /**
     * The error of an operation that waits for background work (a flush, a compaction) that is
     * failing: a {@link DiskFullException} when the disk is full, which the retries overcome once
     * space is freed.
     */
    private static StrataException backgroundFailure(String message, Throwable failing) {
        String text = message + ": " + IoErrors.describe(failing);
        return IoErrors.isNoSpace(failing) ? new DiskFullException(text, failing) : new StrataException(text, failing);
    }

    /**
     * Stops all writes after a WAL failure whose effect on the log is unknown (a failed sync, a
     * partial record that could not be removed): the store keeps serving reads and must be
     * reopened, which recovers from what is on disk. A failed fsync is never retried: after one,
     * what the operating system still holds of the unsynced data is unknown (it may have dropped
     * the pages), so only a reopen, which reads the log back, can tell. Returns the error for the
     * current write.
     */
    @GuardedBy("mutex")
    private WritesStoppedException disableWrites(String reason, IOException cause) {
        assert mutex.isHeldByCurrentThread();
        writesDisabled = true;
        backgroundError = cause;
        stateChanged.signalAll();
        LOG.error("{}: {}; the store at {} takes no more writes until it is reopened", reason, cause.toString(), dir);
        return new WritesStoppedException(
                reason + "; the store takes no more writes until it is reopened"
                        + (IoErrors.isNoSpace(cause) ? " after space is freed (what was synced before is safe)" : "")
                        + ": " + IoErrors.describe(cause),
                cause);
    }

    /**
     * Makes sure the active memtable has room, swapping it for a fresh one when it is full (or
     * when {@code force} and it holds anything), and returns where the next commit group goes.
     * Delays the write once when level 0 is at the slowdown trigger; waits while the immutable
     * queue is full or level 0 is at the stop trigger, failing fast if the background work it
     * waits for is failing. A write is counted once per reason it waits for.
     */
    @GuardedBy("mutex")
    private CommitTarget makeRoomForWrite(boolean force) {
        assert mutex.isHeldByCurrentThread();
        boolean allowDelay = !force;
        WriteStallReason waitedFor = null;
        while (true) {
            checkWritable();
            ReadState s = readState;
            int level0 = s.version().numFiles(0);
            if (allowDelay && level0 >= options.level0SlowdownWritesTrigger()) {
                // Spread the wait for compaction over many writes instead of one long stop.
                stalls.begin(
                        WriteStallReason.LEVEL0_SLOWDOWN,
                        level0 + " level-0 files (slowdown trigger " + options.level0SlowdownWritesTrigger() + ")");
                long t0 = System.nanoTime();
                unlocked(() -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)));
                stalls.waited(WriteStallReason.LEVEL0_SLOWDOWN, System.nanoTime() - t0);
                allowDelay = false;
                continue;
            }
            boolean full = s.active().approximateMemoryUsage() >= options.writeBufferSize();
            if (force ? s.active().holdsNothing() : !full) {
                if (allowDelay) {
                    stalls.end();
                }
                return new CommitTarget(wal, s.active());
            }
            WriteStallReason reason;
            String detail;
            if (s.immutables().size() >= options.maxImmutableMemtables()) {
                reason = WriteStallReason.MEMTABLE_QUEUE_FULL;
                detail = s.immutables().size() + " immutable memtables wait for flush (limit "
                        + options.maxImmutableMemtables() + ")";
                failIfFailing(detail, backgroundError, "a flush");
            } else if (level0 >= options.level0StopWritesTrigger()) {
                reason = WriteStallReason.LEVEL0_STOP;
                detail = level0 + " level-0 files (stop trigger " + options.level0StopWritesTrigger() + ")";
                failIfFailing(detail, compactionError, "a compaction");
            } else {
                swapMemtable();
                force = false;
                continue;
            }
            if (waitedFor != reason) {
                stalls.begin(reason, detail);
                waitedFor = reason;
            }
            long t0 = System.nanoTime();
            stateChanged.awaitUninterruptibly();
            stalls.waited(reason, System.nanoTime() - t0);
        }
    }

    /** Fails a stalled write at once when the background {@code work} it waits for is failing. */
    private static void failIfFailing(String detail, Throwable failing, String work) {
        if (failing != null) {
            throw backgroundFailure(
                    "writes stopped: " + detail + ", waiting for " + work
                            + " that is failing (retried in the background; the data written before is safe)",
                    failing);
        }
    }

    /**
     * Makes the active memtable immutable and starts a new one with its own WAL segment (none with
     * the WAL off). The old segment is fsynced first, so a crash can only ever tear the newest
     * segment.
     */
    @GuardedBy("mutex")
    private void swapMemtable() {
        assert mutex.isHeldByCurrentThread();
        long number = versions.newFileNumber();
        if (!walDisabled) {
            wal = nextWal(number);
        }
        ReadState s = readState;
        List<MemTable> imms = new ArrayList<>(s.immutables().size() + 1);
        imms.add(s.active());
        imms.addAll(s.immutables());
        publish(new MemTable(number), List.copyOf(imms));
        flushWork.signal();
    }

    /** Syncs and closes the active WAL segment and returns a new one, numbered {@code number}. */
    @GuardedBy("mutex")
    private LogWriter nextWal(long number) {
        assert mutex.isHeldByCurrentThread();
        LogWriter old = wal;
        try {
            unlocked(old::sync);
        } catch (IOException e) {
            throw disableWrites("the write-ahead log could not be synced", e);
        }
        LogWriter next;
        try {
            next = unlocked(() -> {
                LogWriter created = createWal(fs, dir, number);
                closeQuietly(old);
                return created;
            });
        } catch (IOException e) {
            throw notWritten("cannot start WAL segment " + FileNames.wal(number), e);
        }
        return next;
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

    /** Work to run with the mutex released. */
    @FunctionalInterface
    private interface Unlocked<R, E extends Exception> {
        R run() throws E;
    }

    /** Work without a result to run with the mutex released. */
    @FunctionalInterface
    private interface UnlockedAction<E extends Exception> {
        void run() throws E;
    }

    /**
     * Runs {@code work} with the mutex released, and holds the mutex again when it returns or
     * throws: the one way a stretch that holds the mutex does I/O or sleeps.
     */
    @GuardedBy("mutex")
    private <R, E extends Exception> R unlocked(Unlocked<R, E> work) throws E {
        assert mutex.isHeldByCurrentThread();
        mutex.unlock();
        try {
            return work.run();
        } finally {
            mutex.lock();
        }
    }

    @GuardedBy("mutex")
    private <E extends Exception> void unlocked(UnlockedAction<E> work) throws E {
        unlocked(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Publishes a read state of these memtables and the current Version, moving the read state's
     * Version reference to it. The current Version is never older than the one published before,
     * since every install reaches the VersionSet before it is published here. The reference on the
     * Version replaced is handed out by {@link #takeReplaced} and dropped once the mutex is let go:
     * the last reference's release deletes the files no Version lists any more, which is I/O.
     */
    @GuardedBy("mutex")
    private void publish(MemTable active, List<MemTable> immutables) {
        assert mutex.isHeldByCurrentThread();
        Version v;
        do {
            // A Version replaced since it was read may already be released: read again.
            v = versions.current();
        } while (v != readState.version() && !v.tryRef());
        Version old = readState.version();
        readState = new ReadState(active, immutables, v);
        if (old != v) {
            replaced.add(old);
        }
    }

    /**
     * The Versions {@link #publish} replaced since the last call, for the caller to {@link
     * #release} once it has let go of the mutex. Every stretch that publishes ends with it. (One that
     * fails first leaves them to the next.)
     */
    @GuardedBy("mutex")
    private List<Version> takeReplaced() {
        assert mutex.isHeldByCurrentThread();
        if (replaced.isEmpty()) {
            return List.of();
        }
        List<Version> taken = List.copyOf(replaced);
        replaced.clear();
        return taken;
    }

    /** Drops a reference on each of {@code versions}; called without the mutex. */
    private static void release(List<Version> versions) {
        for (Version v : versions) {
            v.unref();
        }
    }

    /** The read state with its Version referenced; the caller must unref it. */
    private ReadState pinReadState() {
        while (true) {
            ReadState s = readState;
            if (s.version().tryRef()) {
                return s;
            }
        }
    }

    /** A read's pinned state and the sequence it reads at. */
    private record PinnedRead(ReadState state, long sequence) {}

    /**
     * Pins the read state for a read and picks its sequence: the snapshot's, or else the newest,
     * read while the pinned state is the published one (retrying if a new state was published
     * meanwhile). A compaction keeps, of each key, only the newest version at or below the
     * sequence it started with (and newer ones); one installed after a read took its sequence
     * could have dropped the version that read must see, but a state published when the sequence
     * was read holds only compactions that started before. The caller must unref the state's
     * Version.
     */
    private PinnedRead pinForRead(ReadOptions readOptions) {
        long snapshotSequence = readSequence(readOptions);
        while (true) {
            ReadState s = pinReadState();
            long sequence = sequenceFor(s, readOptions, snapshotSequence);
            if (sequence >= 0) {
                return new PinnedRead(s, sequence);
            }
            s.version().unref();
        }
    }

    /**
     * The sequence a read that pinned {@code s} reads at ({@link #pinForRead}): the snapshot's
     * ({@code snapshotSequence}), or else the newest if {@code s} is still the published state;
     * -1 if it is not, and the read must unpin it and pin again.
     */
    @SuppressWarnings("ReferenceEquality") // whether the state read is still the one published
    private long sequenceFor(ReadState s, ReadOptions readOptions, long snapshotSequence) {
        if (readOptions.snapshot() != null) {
            return snapshotSequence;
        }
        long sequence = pipeline.lastSequence();
        return s == readState ? sequence : -1;
    }

    @GuardedBy("mutex")
    private void checkWritable() {
        assert mutex.isHeldByCurrentThread();
        checkOpen();
        if (writesDisabled) {
            Throwable e = backgroundError;
            throw new WritesStoppedException(
                    "the store takes no more writes after a write-ahead-log failure; reopen it to recover: "
                            + IoErrors.describe(e),
                    e);
        }
    }

    /** Refuses {@code operation} on a read-only store (after checking that it is open). */
    private void checkNotReadOnly(String operation) {
        checkOpen();
        if (readOnly) {
            throw new ReadOnlyStoreException("cannot " + operation + ": the store at " + dir
                    + " was opened read-only (Options.readOnly); open it without readOnly to change it");
        }
    }

    void checkOpen() {
        if (closed) {
            throw new StoreClosedException("the store at " + dir + " is closed");
        }
    }

    // ---- flush ----

    @Override
    public void flush() {
        checkNotReadOnly("flush");
        pipeline.swap();
        mutex.lock();
        try {
            long target = readState.active().walNumber();
            while (versions.logNumber() < target) {
                checkOpen();
                Throwable error = backgroundError;
                if (error != null) {
                    throw backgroundFailure(
                            "flush failed (it is retried in the background; the data is safe in the memtable"
                                    + (walDisabled ? ", not on disk: the WAL is off)" : " and its WAL)"),
                            error);
                }
                stateChanged.awaitUninterruptibly();
            }
        } finally {
            mutex.unlock();
        }
    }

    private void flushLoop() {
        long delayNanos = options.backgroundRetryInitialDelay().toNanos();
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
                delayNanos = options.backgroundRetryInitialDelay().toNanos();
            } catch (IOException | RuntimeException e) {
                stats.flushFailures.increment();
                LOG.error(
                        "flush of memtable for {} failed; retrying in {} ms",
                        FileNames.wal(mem.walNumber()),
                        TimeUnit.NANOSECONDS.toMillis(delayNanos),
                        e);
                mutex.lock();
                try {
                    if (!writesDisabled) {
                        backgroundError = e;
                    }
                    stateChanged.signalAll();
                    backOff(flushWork, delayNanos);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    mutex.unlock();
                }
                delayNanos = nextDelay(delayNanos);
            }
        }
    }

    /** Waits after a failure for {@code nanos}, or until the store closes. */
    @GuardedBy("mutex")
    private void backOff(Condition wakeup, long nanos) throws InterruptedException {
        assert mutex.isHeldByCurrentThread();
        long remaining = nanos;
        while (!closed && remaining > 0) {
            remaining = wakeup.awaitNanos(remaining);
        }
    }

    /** The next retry delay after {@code nanos}: doubled, up to the configured maximum. */
    private long nextDelay(long nanos) {
        return Math.min(nanos * 2, options.backgroundRetryMaxDelay().toNanos());
    }

    /**
     * Writes {@code mem}, the oldest immutable memtable, to L0 and installs it, with its marker. A
     * memtable holding only a marker installs no table.
     */
    private void flushOldest(MemTable mem) throws IOException {
        // As a compaction's (see runCompaction): a snapshot taken meanwhile reads at or above the
        // sequence returned, which is at or above every entry of an immutable memtable.
        FileMetaData file = mem.isEmpty()
                ? null
                : Level0Writer.write(
                        mem, versions.newFileNumber(), fs, dir, options, snapshots.oldest(pipeline::lastSequence));
        long nextWal;
        long sequence;
        mutex.lock();
        try {
            List<MemTable> imms = readState.immutables();
            nextWal = imms.size() > 1
                    ? imms.get(imms.size() - 2).walNumber()
                    : readState.active().walNumber();
            sequence = pipeline.lastSequence();
        } finally {
            mutex.unlock();
        }
        // A failed edit may be on disk already, so its file is kept; the next open removes it
        // if no MANIFEST names it.
        VersionEdit edit =
                new VersionEdit().logNumber(nextWal).lastSequence(sequence).marker(mem.marker());
        if (file != null) {
            edit.addFile(0, file);
        }
        versions.logAndApply(edit);
        if (file != null) {
            // Counted before the new state is published, so whoever sees the table sees the count.
            stats.flushes.increment();
            stats.flushBytes.add(file.fileSize());
        }
        boolean deleteWalNow;
        List<Version> replacedVersions;
        mutex.lock();
        try {
            ReadState s = readState;
            List<MemTable> imms = new ArrayList<>(s.immutables());
            imms.remove(mem);
            publish(s.active(), List.copyOf(imms));
            if (!writesDisabled) {
                backgroundError = null;
            }
            stateChanged.signalAll();
            compactionWork.signalAll();
            deleteWalNow = checkpointsRunning == 0 && !walDisabled;
            if (checkpointsRunning > 0 && !walDisabled) {
                deferredWalDeletes.add(mem.walNumber());
            }
            replacedVersions = takeReplaced();
        } finally {
            mutex.unlock();
        }
        release(replacedVersions);
        if (deleteWalNow) {
            deleteWal(mem.walNumber());
        }
    }

    private void deleteWal(long number) {
        try {
            fs.delete(dir.resolve(FileNames.wal(number)));
        } catch (IOException e) {
            LOG.warn("could not delete {} (removed at next open): {}", FileNames.wal(number), e.toString());
        }
    }

    // ---- checkpoints ----

    @Override
    public void checkpoint(Path target) {
        if (target == null) {
            throw new IllegalArgumentException("checkpoint target must not be null");
        }
        // Refused rather than copied from the files now in the directory, which a writer beside
        // a read-only open may have moved past what this store read.
        checkNotReadOnly("checkpoint");
        if (fs.exists(target)) {
            throw new IllegalArgumentException("checkpoint target " + target + " already exists");
        }
        if (walDisabled) {
            // No WAL to copy: what was written before this call must be in the tables pinned below.
            flush();
        }
        mutex.lock();
        try {
            checkpointsRunning++;
        } finally {
            mutex.unlock();
        }
        VersionSet.Pinned pinned = versions.pin();
        try {
            new CheckpointWriter(fs, dir, versions).write(pinned, target);
            LOG.info("{}: checkpoint written to {} ({} tables)", dir, target, numFiles(pinned.version()));
        } catch (IOException e) {
            throw new StrataException(
                    "checkpoint to " + target + " failed (nothing was left there): " + e.getMessage(), e);
        } finally {
            pinned.version().unref();
            List<Long> deletes = List.of();
            mutex.lock();
            try {
                if (--checkpointsRunning == 0) {
                    deletes = List.copyOf(deferredWalDeletes);
                    deferredWalDeletes.clear();
                }
            } finally {
                mutex.unlock();
            }
            deletes.forEach(this::deleteWal);
        }
    }

    private static int numFiles(Version v) {
        int n = 0;
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            n += v.numFiles(level);
        }
        return n;
    }

    // ---- compaction ----

    /**
     * One step of a {@code compactRange} call, handed to a compaction thread: compact every file
     * of {@link #level} overlapping [begin, end] into the next level, or (when {@link #fileNumber}
     * is set) rewrite that one file of {@link #level} in place. The compaction thread completes
     * {@link #outcome} (exceptionally when the step failed); the caller waits for it.
     */
    private static final class ManualCompaction {
        final int level;
        final byte[] begin;
        final byte[] end;
        /** The file to rewrite in place, or -1 for a compaction of the range into the next level. */
        final long fileNumber;

        final CompletableFuture<Void> outcome = new CompletableFuture<>();

        ManualCompaction(int level, byte[] begin, byte[] end) {
            this.level = level;
            this.begin = begin;
            this.end = end;
            this.fileNumber = -1;
        }

        /** A rewrite of file {@code fileNumber} of {@code level} in place. */
        ManualCompaction(int level, long fileNumber) {
            this.level = level;
            this.begin = null;
            this.end = null;
            this.fileNumber = fileNumber;
        }

        boolean isRewrite() {
            return fileNumber >= 0;
        }
    }

    /** What a compaction thread takes on: a compaction, and the manual step it serves (or null). */
    private record CompactionWork(Compaction compaction, ManualCompaction manual) {}

    private void compactionLoop() {
        long delayNanos = options.backgroundRetryInitialDelay().toNanos();
        while (true) {
            CompactionWork work;
            mutex.lock();
            try {
                work = awaitCompactionWork();
            } finally {
                mutex.unlock();
            }
            if (work == null) {
                return;
            }
            Compaction c = work.compaction();
            ManualCompaction m = work.manual();
            RuntimeException error = c == null ? null : runCompaction(c);
            mutex.lock();
            try {
                if (c != null) {
                    running.remove(c);
                    compactionError = error;
                }
                if (m != null) {
                    if (error == null) {
                        m.outcome.complete(null);
                    } else {
                        m.outcome.completeExceptionally(error);
                    }
                    manual = null;
                    manualRunning = false;
                }
                stateChanged.signalAll();
                compactionWork.signalAll();
                if (error != null) {
                    backOff(compactionWork, delayNanos);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                mutex.unlock();
            }
            delayNanos = error == null ? options.backgroundRetryInitialDelay().toNanos() : nextDelay(delayNanos);
        }
    }

    /**
     * Waits for something to compact and claims it: the compaction joins {@link #running}, a manual
     * step is marked running. Returns null when the store closes. A manual step that a running
     * compaction is in the way of waits for it; then its compaction is null only when nothing of it
     * is left to do.
     */
    @GuardedBy("mutex")
    private CompactionWork awaitCompactionWork() {
        assert mutex.isHeldByCurrentThread();
        while (true) {
            if (closed) {
                return null;
            }
            ManualCompaction m = manualRunning ? null : manual;
            Version v = versions.current();
            Compaction c;
            if (m == null) {
                c = picker.pick(v, running);
            } else if (m.isRewrite()) {
                c = picker.pickRewrite(v, m.level, m.fileNumber, running);
                if (c == null && holds(v, m.level, m.fileNumber)) {
                    m = null; // a running compaction is in the way: wait for it
                }
            } else {
                c = picker.pickRange(v, m.level, m.begin, m.end, running);
                if (c == null && !v.overlapping(m.level, m.begin, m.end).isEmpty()) {
                    m = null; // a running compaction is in the way: wait for it
                }
            }
            // Pinned so the inputs stay readable even if another install drops them. The Version
            // may already be released: another compaction thread installs without the mutex, and
            // the Version it replaced may not have been published yet (the flush that installed it
            // waits for the mutex to publish). Then pick again.
            if (c != null && !c.version().tryRef()) {
                continue;
            }
            if (m != null || c != null) {
                manualRunning |= m != null;
                if (c != null) {
                    running.add(c);
                }
                return new CompactionWork(c, m);
            }
            compactionWork.awaitUninterruptibly();
        }
    }

    /** Runs and installs {@code c}; returns the error, or null. Called without the mutex. */
    private RuntimeException runCompaction(Compaction c) {
        long start = System.nanoTime();
        try {
            // Read under the snapshot list's lock: a snapshot taken concurrently is either seen
            // here or takes a sequence at or above the one returned.
            long smallestSnapshot = snapshots.oldest(pipeline::lastSequence);
            CompactionJob.Result r = new CompactionJob(
                            c, smallestSnapshot, snapshots.newest(-1), versions, tables, fs, dir, options, () -> closed)
                    .run();
            versions.logAndApply(r.edit());
            // Counted before the new state is published, so whoever sees the outputs sees the count.
            long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            stats.compacted(c.outputLevel(), r.bytesRead(), r.bytesWritten(), r.entriesDropped(), micros);
            List<Version> replacedVersions;
            mutex.lock();
            try {
                picker.compacted(c);
                publish(readState.active(), readState.immutables());
                replacedVersions = takeReplaced();
            } finally {
                mutex.unlock();
            }
            release(replacedVersions);
            LOG.debug(
                    "{}: {} -> {} files, {} bytes read, {} written, {} entries dropped, {} ms",
                    dir,
                    c,
                    r.outputs(),
                    r.bytesRead(),
                    r.bytesWritten(),
                    r.entriesDropped(),
                    micros / 1000);
            return null;
        } catch (IOException | RuntimeException e) {
            stats.compactionFailures.increment();
            if (closed) {
                return new StrataException("compaction stopped: the store closed", e);
            }
            LOG.error("{}: {} failed; the input files stay as they were", dir, c, e);
            return e instanceof RuntimeException re ? re : new StrataException(c + " failed: " + e.getMessage(), e);
        } finally {
            c.version().unref();
        }
    }

    @Override
    public void compactRange(byte[] begin, byte[] end) {
        if (begin != null && end != null && Arrays.compareUnsigned(begin, end) > 0) {
            throw new IllegalArgumentException("compactRange: begin is after end");
        }
        checkNotReadOnly("compactRange");
        flush();
        // Every table numbered from here on is written by a compaction that chose what to drop
        // after this call began (or by a later flush). A compaction already running may have
        // chosen under a snapshot released since, and number its outputs later: wait for it.
        long firstNew;
        mutex.lock();
        try {
            List<Compaction> before = List.copyOf(running);
            while (anyRunning(before)) {
                checkOpen();
                stateChanged.awaitUninterruptibly();
            }
            firstNew = versions.newFileNumber();
        } finally {
            mutex.unlock();
        }
        int deepest = 0;
        Version v = versions.current();
        for (int level = 1; level < Version.NUM_LEVELS; level++) {
            if (!v.overlapping(level, begin, end).isEmpty()) {
                deepest = level;
            }
        }
        for (int level = 0; level < Math.max(1, deepest); level++) {
            runManual(new ManualCompaction(level, begin, end), "at level " + level);
        }
        // The merges rewrote every file of the range except those of the deepest level that no
        // file above overlapped and those they only moved down. Such a file may still hold
        // versions and tombstones that a snapshot needed when it was written, and that none
        // needs now: rewrite each in its level. (The search restarts after each step, since a
        // background compaction may have moved files meanwhile.)
        for (int level = 1; level < Version.NUM_LEVELS; level++) {
            for (FileMetaData f; (f = olderFile(level, begin, end, firstNew)) != null; ) {
                runManual(new ManualCompaction(level, f.number()), "rewriting " + FileNames.table(f.number()));
            }
        }
    }

    /** Whether any of {@code compactions} is still running. */
    @GuardedBy("mutex")
    private boolean anyRunning(List<Compaction> compactions) {
        assert mutex.isHeldByCurrentThread();
        for (Compaction c : compactions) {
            if (running.contains(c)) {
                return true;
            }
        }
        return false;
    }

    /** A file of {@code level} overlapping [begin, end] numbered below {@code firstNew}, or null. */
    private FileMetaData olderFile(int level, byte[] begin, byte[] end, long firstNew) {
        for (FileMetaData f : versions.current().overlapping(level, begin, end)) {
            if (f.number() < firstNew) {
                return f;
            }
        }
        return null;
    }

    private static boolean holds(Version v, int level, long number) {
        return v.files(level).stream().anyMatch(f -> f.number() == number);
    }

    /** Hands one step of compactRange to a compaction thread and waits for it. */
    private void runManual(ManualCompaction m, String step) {
        mutex.lock();
        try {
            while (manual != null) {
                checkOpen();
                stateChanged.awaitUninterruptibly();
            }
            checkOpen();
            manual = m;
            compactionWork.signalAll();
            while (!m.outcome.isDone()) {
                checkOpen();
                stateChanged.awaitUninterruptibly();
            }
        } finally {
            mutex.unlock();
        }
        Throwable error = m.outcome.handle((ignored, e) -> e).join();
        if (error != null) {
            throw new StrataException(
                    "compactRange failed " + step + " (the files it read stay as they were): "
                            + IoErrors.describe(error),
                    error);
        }
    }

    /** Deletes a table file no live Version lists (called by whoever released the last one). */
    private void deleteObsoleteTable(FileMetaData f) {
        if (released) {
            return; // the directory may belong to a new open now: left for its orphan sweep
        }
        tables.evict(f.number());
        try {
            fs.delete(dir.resolve(FileNames.table(f.number())));
        } catch (IOException e) {
            LOG.warn(
                    "{}: could not delete obsolete {} (removed at next open): {}",
                    dir,
                    FileNames.table(f.number()),
                    e.toString());
        }
    }

    // ---- reads ----

    /** The options of {@link #get(byte[])}; never changed, so one instance serves every call. */
    private static final ReadOptions DEFAULT_READ = new ReadOptions();

    @Override
    public byte[] get(byte[] key) {
        return get(key, DEFAULT_READ);
    }

    @Override
    public byte[] get(byte[] key, ReadOptions readOptions) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        checkOpen();
        // pinForRead's loop without its record: a get allocates only its seek key and its value.
        long snapshotSequence = readSequence(readOptions);
        ReadState s;
        long sequence;
        while ((sequence = sequenceFor(s = pinReadState(), readOptions, snapshotSequence)) < 0) {
            s.version().unref();
        }
        try {
            byte[] seekKey = InternalKey.seekKey(key, sequence);
            // Memtables and tables hand out copies: the value is the caller's.
            byte[] v = s.active().getValue(seekKey);
            for (int i = 0; v == null && i < s.immutables().size(); i++) {
                v = s.immutables().get(i).getValue(seekKey);
            }
            if (v == null) {
                v = s.version().getValue(seekKey, tables, readOptions.cachedOnly());
            }
            return v == ValueType.DELETED ? null : v;
        } finally {
            s.version().unref();
        }
    }

    private long readSequence(ReadOptions readOptions) {
        if (readOptions == null) {
            throw new IllegalArgumentException("read options must not be null");
        }
        Snapshot snap = readOptions.snapshot();
        if (snap == null) {
            return pipeline.lastSequence();
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
        return snapshots.take(pipeline::lastSequence, this);
    }

    @Override
    public StrataIterator iterator() {
        return iterator(new ReadOptions());
    }

    @Override
    public StrataIterator iterator(ReadOptions readOptions) {
        checkOpen();
        if (readOptions != null && readOptions.cachedOnly()) {
            throw new IllegalArgumentException("cachedOnly applies to get: an iterator reads table files as it moves");
        }
        PinnedRead read = pinForRead(readOptions);
        long sequence = read.sequence();
        ReadState s = read.state();
        List<InternalIterator> sources = new ArrayList<>();
        try {
            sources.add(s.active().iterator());
            for (MemTable imm : s.immutables()) {
                sources.add(imm.iterator());
            }
            s.version().addIterators(sources, tables);
        } catch (RuntimeException e) {
            sources.forEach(InternalIterator::close);
            s.version().unref();
            throw e;
        }
        return new DbIterator(
                new MergingIterator(sources),
                sequence,
                readOptions.lowerBound(),
                readOptions.upperBound(),
                this,
                s.version());
    }

    // ---- markers ----

    @Override
    public byte[] durableMarker() {
        checkOpen();
        return versions.marker();
    }

    // ---- properties ----

    @Override
    public String getProperty(String name) {
        checkOpen();
        return metrics().property(name);
    }

    @Override
    public Statistics statistics() {
        checkOpen();
        return metrics().statistics();
    }

    private StoreMetrics metrics() {
        ReadState s = readState;
        return new StoreMetrics(
                s,
                !walDisabled && !readOnly,
                pipeline.lastSequence(),
                pipeline.bytesCommitted(),
                stats,
                stalls,
                tables,
                snapshots.size(),
                backgroundError,
                compactionError,
                () -> compactionLoad(s.version()));
    }

    private StoreMetrics.CompactionLoad compactionLoad(Version v) {
        mutex.lock();
        try {
            return new StoreMetrics.CompactionLoad(picker.scores(v), running.size());
        } finally {
            mutex.unlock();
        }
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
            compactionWork.signalAll();
        } finally {
            mutex.unlock();
        }
        // Without the mutex: a leader may be waiting for it in makeRoomForWrite, where it will
        // find the store closed and fail its write.
        pipeline.awaitDrained();
        boolean interrupted = false;
        for (Thread t : backgroundThreads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        StrataException failure = readOnly ? null : walDisabled ? flushAtClose() : syncAndCloseWal();
        try {
            versions.close();
        } catch (IOException e) {
            LOG.warn("closing the MANIFEST of {}: {}", dir, e.toString());
        }
        released = true;
        tables.close();
        if (dirLock != null) {
            closeQuietly(dirLock);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.info("closed store at {} (last sequence {})", dir, pipeline.lastSequence());
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Writes every memtable to a table at close, oldest first, as the flush thread would: with the
     * WAL off nothing else keeps them. Returns the failure to report, or null. Called once every
     * writer and background thread has finished, so this thread alone changes the read state.
     */
    private StrataException flushAtClose() {
        try {
            while (true) {
                MemTable oldest;
                mutex.lock();
                try {
                    if (!readState.active().holdsNothing()) {
                        swapMemtable();
                    }
                    List<MemTable> imms = readState.immutables();
                    if (imms.isEmpty()) {
                        return null;
                    }
                    oldest = imms.get(imms.size() - 1);
                } finally {
                    mutex.unlock();
                }
                flushOldest(oldest);
            }
        } catch (IOException | RuntimeException e) {
            return new StrataException(
                    "closing " + dir + ": could not flush the memtables (the write-ahead log is off, so the writes "
                            + "not yet in tables are lost): " + IoErrors.describe(e),
                    e);
        }
    }

    /**
     * Syncs and closes the WAL at close; returns the failure to report, or null. Called once every
     * writer and background thread has finished, so nothing else uses the WAL.
     */
    private StrataException syncAndCloseWal() {
        LogWriter log;
        mutex.lock();
        try {
            log = wal;
        } finally {
            mutex.unlock();
        }
        try {
            log.sync();
            return null;
        } catch (IOException e) {
            return new StrataException("closing " + dir + ": could not sync the write-ahead log: " + e.getMessage(), e);
        } finally {
            // Closed even when the sync failed, so a failing device does not leak the handle.
            closeQuietly(log);
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
